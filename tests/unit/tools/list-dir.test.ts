import { describe, expect, it } from "vitest";
import { listDirTool } from "../../../src/tools/list-dir.ts";
import { freshWorkspace, runText } from "./harness.ts";

// The pool's reporter can choke on emoji cut in half inside a failure diff; compare with ASCII markers.
const ascii = (text: string) => text.replace(/📁/gu, "[dir]").replace(/📄/gu, "[file]");

describe("list_dir", () => {
  it("should be read-only and take path, recursive, max_entries", () => {
    expect(listDirTool.readOnly).toBe(true);
    expect(Object.keys(listDirTool.parameters.shape)).toEqual(["path", "recursive", "max_entries"]);
  });

  it("should list folders and files of one level", async () => {
    const ws = freshWorkspace("list");
    await ws.writeFile("notes/a.txt", "a");
    await ws.writeFile("notes/deep/b.txt", "b");
    await ws.writeFile("readme.md", "r");
    expect(ascii(await runText(listDirTool, { path: "." }, ws))).toBe("[dir] notes\n[file] readme.md");
    expect(ascii(await runText(listDirTool, { path: "/workspace/notes" }, ws))).toBe("[file] a.txt\n[dir] deep");
  });

  it("should list recursively as relative paths", async () => {
    const ws = freshWorkspace("rec");
    await ws.writeFile("notes/a.txt", "a");
    await ws.writeFile("notes/deep/b.txt", "b");
    expect(await runText(listDirTool, { path: "notes", recursive: true }, ws)).toBe("a.txt\ndeep/\ndeep/b.txt");
  });

  it("should skip dependency and VCS folders", async () => {
    const ws = freshWorkspace("ignore");
    await ws.writeFile("src/index.ts", "x");
    await ws.writeFile("node_modules/pkg/index.js", "x");
    await ws.writeFile(".git/HEAD", "x");
    await ws.writeFile("src/__pycache__/m.pyc", "x");
    expect(ascii(await runText(listDirTool, { path: "." }, ws))).toBe("[dir] src");
    expect(await runText(listDirTool, { path: ".", recursive: true }, ws)).toBe("src/\nsrc/index.ts");
  });

  it("should truncate at max_entries and say how many there are", async () => {
    const ws = freshWorkspace("trunc");
    await Promise.all(Array.from({ length: 7 }, (_, i) => ws.writeFile(`f${i}.txt`, "x")));
    const out = await runText(listDirTool, { path: ".", max_entries: 3 }, ws);
    expect(ascii(out)).toBe("[file] f0.txt\n[file] f1.txt\n[file] f2.txt\n\n(truncated, showing first 3 of 7 entries)");
  });

  it("should say when a directory is empty", async () => {
    const ws = freshWorkspace("emptydir");
    expect(await runText(listDirTool, { path: "." }, ws)).toBe("Directory . is empty");
    await ws.writeFile("only/node_modules/x.js", "x");
    expect(await runText(listDirTool, { path: "only" }, ws)).toBe("Directory only is empty");
  });

  it("should report missing directories and files given as directories", async () => {
    const ws = freshWorkspace("notdir");
    await ws.writeFile("a.txt", "a");
    expect(await runText(listDirTool, { path: "nope" }, ws)).toBe("Error: Directory not found: nope");
    expect(await runText(listDirTool, { path: "a.txt" }, ws)).toMatch(/^Error: Not a directory: a\.txt/);
  });

  it("should refuse to list outside the workspace", async () => {
    const ws = freshWorkspace("out");
    const out = await runText(listDirTool, { path: "/" }, ws);
    expect(out).toContain("outside the configured workspace");
    expect(out).toContain("hard policy boundary");
  });
});
