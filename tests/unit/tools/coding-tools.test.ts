import { describe, expect, it } from "vitest";
import { createWorkspaceViolationPolicy, REPEATED_BYPASS_PREFIX } from "../../../src/agent/safety/workspace-violations.ts";
import { applyPatchTool } from "../../../src/tools/apply-patch.ts";
import { findFilesTool } from "../../../src/tools/find-files.ts";
import { grepTool } from "../../../src/tools/grep.ts";
import { freshWorkspace, runText } from "./harness.ts";

async function seeded(label: string) {
  const ws = freshWorkspace(label);
  await ws.writeFile("src/app.ts", "export const a = 1;\n// TODO fix\nexport const b = 2;\n");
  await ws.writeFile("src/util.py", "def todo():\n    return 'todo'\n");
  await ws.writeFile("docs/readme.md", "# Title\nNothing to do here\n");
  await ws.writeFile("node_modules/x/index.ts", "// TODO ignored\n");
  await ws.writeFile("bin/blob.bin", new Uint8Array([0, 1, 2, 84, 79, 68, 79]));
  return ws;
}

describe("grep", () => {
  it("should list matching files by default, skipping node_modules and reporting binaries", async () => {
    const ws = await seeded("grep-files");
    const out = await runText(grepTool, { pattern: "TODO" }, ws);
    expect(out.split("\n\n")[0]).toBe("src/app.ts");
    expect(out).toContain("(skipped 1 binary/unreadable files)");
  });

  it("should show matching lines with context and counts", async () => {
    const ws = await seeded("grep-content");
    expect(await runText(grepTool, { pattern: "todo", case_insensitive: true, output_mode: "content", context_before: 1, glob: "*.ts" }, ws)).toBe(
      "src/app.ts:2\n  1| export const a = 1;\n> 2| // TODO fix",
    );
    const counts = await runText(grepTool, { pattern: "todo", output_mode: "count", type: "py" }, ws);
    expect(counts).toBe("src/util.py: 2\n\n(total matches: 2 in 1 files)");
  });

  it("should page with head_limit and offset and treat fixed_strings literally", async () => {
    const ws = freshWorkspace("grep-page");
    await ws.writeFile("a.txt", "x.1\nx.2\nx.3\nxa4\n");
    const first = await runText(grepTool, { pattern: "x.", fixed_strings: true, output_mode: "content", head_limit: 2 }, ws);
    expect(first).toBe("a.txt:1\n> 1| x.1\n\na.txt:2\n> 2| x.2\n\n(pagination: limit=2, offset=0)");
    const rest = await runText(grepTool, { pattern: "x.", fixed_strings: true, output_mode: "content", head_limit: 2, offset: 2 }, ws);
    expect(rest).toBe("a.txt:3\n> 3| x.3\n\n(pagination: offset=2)");
  });

  it("should say when it stopped short: too many files, or a file over 2 MB in a folder search", async () => {
    const ws = freshWorkspace("grep-caps");
    await Promise.all(Array.from({ length: 401 }, (_, i) => ws.writeFile(`many/f${String(i).padStart(3, "0")}.txt`, "needle\n")));
    const out = await runText(grepTool, { pattern: "needle", path: "many", output_mode: "count", head_limit: 1 }, ws);
    expect(out).toContain("(total matches: 400 in 400 files)");
    expect(out).toContain("(searched only the first 400 of 401 files; narrow path, glob or type to search the rest)");
    await ws.writeFile("large/big.txt", `${"a".repeat(2_000_001)}\nneedle\n`);
    expect(await runText(grepTool, { pattern: "needle", path: "large" }, ws)).toBe(
      "No matches found for pattern 'needle' in large\n\n(skipped 1 files larger than 2000000 bytes)",
    );
    expect(await runText(grepTool, { pattern: "needle", path: "large/big.txt" }, ws)).toBe("large/big.txt");
  });

  it("should explain an invalid regex", async () => {
    const ws = freshWorkspace("grep-bad");
    await ws.writeFile("a.txt", "x");
    expect(await runText(grepTool, { pattern: "(" }, ws)).toMatch(/^Error: invalid regex pattern: .*fixed_strings=true/);
  });
});

describe("find_files", () => {
  it("should find by glob, type and query and page the result", async () => {
    const ws = await seeded("find");
    expect(await runText(findFilesTool, { glob: "src/*.ts" }, ws)).toBe("src/app.ts");
    expect(await runText(findFilesTool, { type: "md" }, ws)).toBe("docs/readme.md");
    expect(await runText(findFilesTool, { query: "SRC util" }, ws)).toBe("src/util.py");
    expect(await runText(findFilesTool, { path: "src", head_limit: 1 }, ws)).toBe("src/app.ts\n\n(pagination: limit=1, offset=0)");
    expect(await runText(findFilesTool, { query: "nothing-like-this" }, ws)).toBe("No files found");
  });
});

describe("grep and find_files at the workspace boundary", () => {
  it.each([
    [grepTool, { pattern: "root", path: "/etc" }],
    [grepTool, { pattern: "root", path: "../other" }],
    [findFilesTool, { path: "/etc" }],
    [findFilesTool, { path: "../../" }],
  ] as const)("should refuse %#: a path outside the workspace", async (tool, args) => {
    const out = await runText(tool, args, freshWorkspace("boundary"));
    expect(out).toMatch(/^Error: .*(outside the configured workspace|path traversal detected)/);
    expect(out).toContain("hard policy boundary");
  });

  it("should escalate the third attempt on the same outside target across grep and find_files", async () => {
    const policy = createWorkspaceViolationPolicy();
    const ws = freshWorkspace("escalate");
    const calls = [
      [grepTool, { pattern: "x", path: "/etc" }],
      [findFilesTool, { path: "/etc" }],
      [grepTool, { pattern: "y", path: "/etc/" }],
    ] as const;
    const results: string[] = [];
    for (const [tool, args] of calls) results.push(String(policy.check(tool.name, args, await runText(tool, args, ws)).result));
    expect(results[0]).toContain("hard policy boundary");
    expect(results[1]).toContain("hard policy boundary");
    expect(results[2].startsWith(REPEATED_BYPASS_PREFIX)).toBe(true);
  });

  it("should count apply_patch's outside edit path toward the same throttle as read_file's", async () => {
    const policy = createWorkspaceViolationPolicy();
    const ws = freshWorkspace("escalate-patch");
    const args = { edits: [{ path: "ok.txt", action: "add", new_text: "x" }, { path: "/etc/passwd", action: "add", new_text: "x" }] };
    const first = String(policy.check("apply_patch", args, await runText(applyPatchTool, args, ws)).result);
    expect(first).toContain("hard policy boundary");
    policy.check("read_file", { path: "/etc/passwd" }, "Error: Path '/etc/passwd' is outside the configured workspace (x).");
    const third = String(policy.check("apply_patch", args, await runText(applyPatchTool, args, ws)).result);
    expect(third.startsWith(REPEATED_BYPASS_PREFIX)).toBe(true);
    expect(await ws.exists("ok.txt")).toBe(false);
  });
});

describe("apply_patch", () => {
  it("should apply replace and add edits across files with a +/- summary", async () => {
    const ws = await seeded("patch");
    const out = await runText(applyPatchTool, {
      edits: [
        { path: "src/app.ts", action: "replace", old_text: "// TODO fix\n", new_text: "// fixed\n// really\n" },
        { path: "notes/new.md", action: "add", new_text: "line 1\nline 2" },
        { path: "docs/readme.md", action: "add", new_text: "appended" },
      ],
    }, ws);
    expect(out).toBe("Patch applied:\n- update src/app.ts (+2/-1)\n- add notes/new.md (+2/-0)\n- update docs/readme.md (+1/-0)");
    expect(await ws.readText("src/app.ts")).toBe("export const a = 1;\n// fixed\n// really\nexport const b = 2;\n");
    expect(await ws.readText("notes/new.md")).toBe("line 1\nline 2\n");
    expect(await ws.readText("docs/readme.md")).toBe("# Title\nNothing to do here\nappended\n");
  });

  it("should change neither file when one of two edits does not match", async () => {
    const ws = await seeded("patch-atomic");
    const out = await runText(applyPatchTool, {
      edits: [
        { path: "src/app.ts", action: "replace", old_text: "export const a = 1;", new_text: "export const a = 10;" },
        { path: "src/util.py", action: "replace", old_text: "return 'nope'", new_text: "return 1" },
      ],
    }, ws);
    expect(out).toMatch(/^Error: old_text not found in src\/util\.py\..*\(edit 2 of 2\)\. No file was changed\.$/s);
    expect(await ws.readText("src/app.ts")).toBe("export const a = 1;\n// TODO fix\nexport const b = 2;\n");
    expect(await ws.readText("src/util.py")).toBe("def todo():\n    return 'todo'\n");
  });

  it("should validate only on dry_run, and refuse ambiguous or outside edits before writing", async () => {
    const ws = await seeded("patch-dry");
    const dry = await runText(applyPatchTool, { dry_run: true, edits: [{ path: "src/app.ts", action: "replace", old_text: "b = 2", new_text: "b = 3" }] }, ws);
    expect(dry).toBe("Patch dry-run succeeded (nothing written):\n- update src/app.ts (+1/-1)");
    expect(await ws.readText("src/app.ts")).toContain("b = 2");
    const twice = await runText(applyPatchTool, { edits: [{ path: "src/util.py", action: "replace", old_text: "todo", new_text: "x" }] }, ws);
    expect(twice).toMatch(/appears more than once/);
    const outside = await runText(applyPatchTool, {
      edits: [
        { path: "src/app.ts", action: "add", new_text: "// more" },
        { path: "/etc/passwd", action: "add", new_text: "x" },
      ],
    }, ws);
    expect(outside).toMatch(/outside the configured workspace[\s\S]*hard policy boundary/);
    expect(await ws.readText("src/app.ts")).not.toContain("// more");
  });
});
