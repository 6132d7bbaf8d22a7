import { describe, expect, it } from "vitest";
import { editFileTool } from "../../../src/tools/edit-file.ts";
import { freshWorkspace, runText } from "./harness.ts";

describe("edit_file", () => {
  it("should take path, old_text, new_text, replace_all", () => {
    expect(Object.keys(editFileTool.parameters.shape)).toEqual(["path", "old_text", "new_text", "replace_all"]);
  });

  it("should replace a unique exact match", async () => {
    const ws = freshWorkspace("edit");
    await ws.writeFile("a.txt", "hello world\nbye\n");
    expect(await runText(editFileTool, { path: "a.txt", old_text: "world", new_text: "there" }, ws)).toBe("Successfully edited a.txt");
    expect(await ws.readText("a.txt")).toBe("hello there\nbye\n");
  });

  it("should refuse an ambiguous match and list the line numbers", async () => {
    const ws = freshWorkspace("ambig");
    await ws.writeFile("a.txt", "x = 1\ny = 2\nx = 1\nz\nx = 1\n");
    const out = await runText(editFileTool, { path: "a.txt", old_text: "x = 1", new_text: "x = 9" }, ws);
    expect(out).toMatch(/^Error: old_text appears 3 times in a\.txt \(at line 1, line 3, line 5\)/);
    expect(out).toContain("replace_all");
    expect(await ws.readText("a.txt")).toBe("x = 1\ny = 2\nx = 1\nz\nx = 1\n");
  });

  it("should replace every occurrence with replace_all", async () => {
    const ws = freshWorkspace("all");
    await ws.writeFile("a.txt", "x = 1\ny\nx = 1\n");
    const out = await runText(editFileTool, { path: "a.txt", old_text: "x = 1", new_text: "x = 2", replace_all: true }, ws);
    expect(out).toBe("Successfully edited a.txt (2 replacements)");
    expect(await ws.readText("a.txt")).toBe("x = 2\ny\nx = 2\n");
  });

  it("should tolerate trailing whitespace differences", async () => {
    const ws = freshWorkspace("trail");
    await ws.writeFile("a.py", "def f():   \n    return 1\t\nprint(f())\n");
    const out = await runText(editFileTool, { path: "a.py", old_text: "def f():\n    return 1\n", new_text: "def f():\n    return 2\n" }, ws);
    expect(out).toBe("Successfully edited a.py (matched ignoring trailing whitespace)");
    expect(await ws.readText("a.py")).toBe("def f():\n    return 2\nprint(f())\n");
  });

  it("should tolerate wrong indentation and re-indent the new text", async () => {
    const ws = freshWorkspace("indent");
    await ws.writeFile("a.py", "class A:\n    def f(self):\n        return 1\n");
    const out = await runText(
      editFileTool,
      { path: "a.py", old_text: "def f(self):\n    return 1", new_text: "def f(self):\n    x = 2\n    return x" },
      ws,
    );
    expect(out).toMatch(/^Successfully edited a\.py \(matched ignoring indentation/);
    expect(await ws.readText("a.py")).toBe("class A:\n    def f(self):\n        x = 2\n        return x\n");
  });

  it("should show the closest similar lines when old_text is not found", async () => {
    const ws = freshWorkspace("close");
    await ws.writeFile("cfg.txt", "name = demo\nport = 8080\nhost = localhost\n");
    const out = await runText(editFileTool, { path: "cfg.txt", old_text: "port = 8081\nhost = localhots", new_text: "port = 9000" }, ws);
    expect(out).toMatch(/^Error: old_text not found in cfg\.txt\. The most similar text is at lines 2-3/);
    expect(out).toContain("2| port = 8080\n3| host = localhost");
  });

  it("should say nothing similar exists when the text is unrelated", async () => {
    const ws = freshWorkspace("unrelated");
    await ws.writeFile("cfg.txt", "name = demo\n");
    const out = await runText(editFileTool, { path: "cfg.txt", old_text: "zzzz qqqq", new_text: "y" }, ws);
    expect(out).toMatch(/^Error: old_text not found in cfg\.txt\. No similar text was found/);
  });

  it("should refuse identical old and new text", async () => {
    const ws = freshWorkspace("same");
    await ws.writeFile("a.txt", "abc");
    expect(await runText(editFileTool, { path: "a.txt", old_text: "abc", new_text: "abc" }, ws)).toBe(
      "Error: old_text and new_text are identical, so there is nothing to change.",
    );
  });

  it("should create a missing file when old_text is empty", async () => {
    const ws = freshWorkspace("create");
    expect(await runText(editFileTool, { path: "new/file.md", old_text: "", new_text: "# Hi\n" }, ws)).toBe(
      "Successfully created new/file.md (5 characters)",
    );
    expect(await ws.readText("new/file.md")).toBe("# Hi\n");
  });

  it("should refuse an empty old_text on a non-empty file and a missing file otherwise", async () => {
    const ws = freshWorkspace("emptyold");
    await ws.writeFile("a.txt", "content");
    expect(await runText(editFileTool, { path: "a.txt", old_text: "", new_text: "x" }, ws)).toMatch(/^Error: old_text is empty but a\.txt is not empty/);
    expect(await runText(editFileTool, { path: "b.txt", old_text: "x", new_text: "y" }, ws)).toMatch(/^Error: File not found: b\.txt/);
  });

  it("should keep CRLF line endings", async () => {
    const ws = freshWorkspace("crlf");
    await ws.writeFile("w.txt", "a\r\nb\r\nc\r\n");
    await runText(editFileTool, { path: "w.txt", old_text: "b\nc", new_text: "B\nC" }, ws);
    expect(await ws.readText("w.txt")).toBe("a\r\nB\r\nC\r\n");
  });

  it("should remove the whole line when deleting a line's text", async () => {
    const ws = freshWorkspace("delete");
    await ws.writeFile("a.txt", "keep\ndrop me\nkeep too\n");
    await runText(editFileTool, { path: "a.txt", old_text: "drop me", new_text: "" }, ws);
    expect(await ws.readText("a.txt")).toBe("keep\nkeep too\n");
  });

  it("should refuse to edit outside the workspace", async () => {
    const ws = freshWorkspace("out");
    const out = await runText(editFileTool, { path: "~/.bashrc", old_text: "a", new_text: "b" }, ws);
    expect(out).toContain("outside the configured workspace");
    expect(out).toContain("hard policy boundary");
  });
});
