import { describe, expect, it } from "vitest";
import { writeFileTool } from "../../../src/tools/write-file.ts";
import { freshWorkspace, runText } from "./harness.ts";

describe("write_file", () => {
  it("should take path and content", () => {
    expect(Object.keys(writeFileTool.parameters.shape)).toEqual(["path", "content"]);
    expect(writeFileTool.readOnly).toBeFalsy();
  });

  it("should write the file, creating parent directories implicitly", async () => {
    const ws = freshWorkspace("write");
    expect(await runText(writeFileTool, { path: "a/b/c.md", content: "hello" }, ws)).toBe(
      "Successfully wrote 5 characters to a/b/c.md",
    );
    expect(await ws.readText("a/b/c.md")).toBe("hello");
    expect(await ws.stat("a/b")).toMatchObject({ isDirectory: true });
  });

  it("should overwrite an existing file", async () => {
    const ws = freshWorkspace("overwrite");
    await runText(writeFileTool, { path: "x.txt", content: "one" }, ws);
    await runText(writeFileTool, { path: "/workspace/x.txt", content: "two" }, ws);
    expect(await ws.readText("x.txt")).toBe("two");
  });

  it("should count characters, not UTF-16 units", async () => {
    const ws = freshWorkspace("chars");
    expect(await runText(writeFileTool, { path: "cat.txt", content: "🐈é" }, ws)).toBe("Successfully wrote 2 characters to cat.txt");
  });

  it("should refuse to write over a directory or inside a file", async () => {
    const ws = freshWorkspace("shape");
    await ws.writeFile("dir/x.txt", "x");
    expect(await runText(writeFileTool, { path: "dir", content: "y" }, ws)).toMatch(/^Error: dir is a directory/);
    expect(await runText(writeFileTool, { path: "dir/x.txt/y.txt", content: "y" }, ws)).toBe(
      "Error: Cannot create dir/x.txt/y.txt: dir/x.txt is a file, not a directory.",
    );
    expect(await runText(writeFileTool, { path: ".", content: "y" }, ws)).toMatch(/^Error: path must name a file/);
  });

  it("should refuse to write outside the workspace", async () => {
    const ws = freshWorkspace("escape");
    const out = await runText(writeFileTool, { path: "../../etc/cron.d/x", content: "boom" }, ws);
    expect(out).toContain("path traversal detected");
    expect(out).toContain("hard policy boundary");
  });
});
