import { describe, expect, it } from "vitest";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { freshWorkspace, runText, runTool } from "./harness.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe("read_file", () => {
  it("should be read-only and take path, offset, limit", () => {
    expect(readFileTool.readOnly).toBe(true);
    expect(Object.keys(readFileTool.parameters.shape)).toEqual(["path", "offset", "limit"]);
  });

  it("should number lines and say when the end is reached", async () => {
    const ws = freshWorkspace("read");
    await ws.writeFile("notes/a.txt", "alpha\nbeta\ngamma\n");
    expect(await runText(readFileTool, { path: "notes/a.txt" }, ws)).toBe(
      "1| alpha\n2| beta\n3| gamma\n\n(End of file — 3 lines total)",
    );
  });

  it("should page with offset and limit and say how to continue", async () => {
    const ws = freshWorkspace("page");
    await ws.writeFile("long.txt", Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join("\n"));
    const out = await runText(readFileTool, { path: "/workspace/long.txt", offset: 3, limit: 4 }, ws);
    expect(out).toBe("3| line 3\n4| line 4\n5| line 5\n6| line 6\n\n(Showing lines 3-6 of 10. Use offset=7 to continue.)");
    const rest = await runText(readFileTool, { path: "long.txt", offset: 7 }, ws);
    expect(rest).toContain("10| line 10");
    expect(rest).toContain("(End of file — 10 lines total)");
  });

  it("should default to 2000 lines per read", async () => {
    const ws = freshWorkspace("limit");
    await ws.writeFile("big.txt", Array.from({ length: 2500 }, (_, i) => `${i}`).join("\n"));
    const out = await runText(readFileTool, { path: "big.txt" }, ws);
    expect(out).toContain("(Showing lines 1-2000 of 2500. Use offset=2001 to continue.)");
  });

  it("should refuse an offset beyond the end of the file", async () => {
    const ws = freshWorkspace("beyond");
    await ws.writeFile("a.txt", "one\ntwo");
    expect(await runText(readFileTool, { path: "a.txt", offset: 5 }, ws)).toBe("Error: offset 5 is beyond end of file (2 lines)");
  });

  it("should report an empty file", async () => {
    const ws = freshWorkspace("empty");
    await ws.writeFile("e.txt", "");
    expect(await runText(readFileTool, { path: "e.txt" }, ws)).toBe("(Empty file: e.txt)");
  });

  it("should normalise CRLF line endings", async () => {
    const ws = freshWorkspace("crlf");
    await ws.writeFile("w.txt", "a\r\nb\r\n");
    expect(await runText(readFileTool, { path: "w.txt" }, ws)).toBe("1| a\n2| b\n\n(End of file — 2 lines total)");
  });

  it("should say when a file is missing or is a directory", async () => {
    const ws = freshWorkspace("missing");
    await ws.writeFile("dir/x.txt", "x");
    expect(await runText(readFileTool, { path: "nope.txt" }, ws)).toMatch(/^Error: File not found: nope\.txt/);
    expect(await runText(readFileTool, { path: "dir" }, ws)).toMatch(/^Error: dir is a directory.*list_dir/);
  });

  it("should refuse binary files", async () => {
    const ws = freshWorkspace("binary");
    await ws.writeFile("data.bin", new Uint8Array([1, 2, 0, 3, 255, 0]));
    expect(await runText(readFileTool, { path: "data.bin" }, ws)).toMatch(/^Error: Cannot read data\.bin: it is a binary file/);
  });

  it("should return images as an image part", async () => {
    const ws = freshWorkspace("image");
    await ws.writeFile("pic.png", PNG);
    const result = await runTool(readFileTool, { path: "pic.png" }, ws);
    expect(Array.isArray(result)).toBe(true);
    const parts = result as Exclude<typeof result, string>;
    expect(parts[1]).toEqual({ type: "image", mimeType: "image/png", data: btoa(String.fromCharCode(...PNG)) });
    expect(parts[0]).toMatchObject({ type: "text" });
  });

  it("should refuse paths outside the workspace without failing the turn", async () => {
    const ws = freshWorkspace("outside");
    const out = await runText(readFileTool, { path: "/etc/passwd" }, ws);
    expect(out).toMatch(/^Error: Path '\/etc\/passwd' is outside the configured workspace/);
    expect(out).toContain("hard policy boundary");
  });
});
