import { describe, expect, it } from "vitest";
import { createTurnSafety } from "../../../src/agent/safety/turn-safety.ts";
import { normaliseTargetPath, violationTarget } from "../../../src/agent/safety/violation-target.ts";
import { REPEATED_BYPASS_PREFIX, classifyViolation } from "../../../src/agent/safety/workspace-violations.ts";
import { readFileTool } from "../../../src/tools/read-file.ts";
import type { ToolEvent, ToolResult } from "../../../src/tools/types.ts";
import { freshWorkspace, runTool } from "../tools/harness.ts";

/** What the exec guard answers for an absolute path outside the working dir (simulated here). */
const EXEC_GUARD =
  "Error: Command blocked by safety guard (path outside working dir)\n\n[This is a hard policy boundary: exec can only reach the workspace.]";
const SSRF_ERROR = "Error: URL blocked: internal/private URL detected (169.254.169.254)";

function textOf(result: ToolResult): string {
  return typeof result === "string" ? result : JSON.stringify(result);
}

describe("workspace violation throttle (per turn)", () => {
  it("should let two refusals through and escalate from the third, across tool swaps", async () => {
    const safety = createTurnSafety();
    const ws = freshWorkspace("bypass");
    const events: ToolEvent[] = [];
    const attempts: Array<[string, Record<string, unknown>, () => Promise<ToolResult>]> = [
      ["read_file", { path: "/etc/passwd" }, () => runTool(readFileTool, { path: "/etc/passwd" }, ws)],
      ["exec", { command: "cat /etc/passwd" }, async () => EXEC_GUARD],
      ["exec", { command: "cp /etc/passwd ./passwd.txt" }, async () => EXEC_GUARD],
      ["exec", { command: `python -c "print(open('/etc/passwd').read())"` }, async () => EXEC_GUARD],
    ];
    const results: string[] = [];
    for (const [name, args, run] of attempts) {
      expect(safety.beforeCall(name, args)).toBeNull();
      const checked = safety.afterCall(name, args, await run());
      events.push(...checked.events);
      results.push(textOf(checked.result));
    }
    expect(results[0]).toContain("outside the configured workspace");
    expect(results[0]).toContain("hard policy boundary");
    expect(results[1]).toBe(EXEC_GUARD);
    for (const escalated of results.slice(2)) {
      expect(escalated.startsWith(`${REPEATED_BYPASS_PREFIX}\n`)).toBe(true);
      expect(escalated).toContain("'/etc/passwd'");
      expect(escalated).toMatch(/Stop retrying/);
      expect(escalated).toMatch(/ask how they want to proceed/);
    }
    expect(results[3]).toContain("4 times");
    expect(events.map((e) => e.event)).toEqual([
      "workspace_violation",
      "workspace_violation",
      "workspace_violation_escalated",
      "workspace_violation_escalated",
    ]);
    expect(events[0].detail).toBe("read_file: /etc/passwd");
  });

  it("should give different targets their own budget", () => {
    const safety = createTurnSafety();
    const outcome = (path: string) => textOf(safety.afterCall("exec", { command: `cat ${path}` }, EXEC_GUARD).result);
    expect(outcome("/etc/passwd")).toBe(EXEC_GUARD);
    expect(outcome("/etc/shadow")).toBe(EXEC_GUARD);
    expect(outcome("/etc/hosts")).toBe(EXEC_GUARD);
    expect(outcome("/etc/passwd")).toBe(EXEC_GUARD);
    expect(outcome("/etc/passwd").startsWith(REPEATED_BYPASS_PREFIX)).toBe(true);
    expect(outcome("/etc/shadow")).toBe(EXEC_GUARD);
  });

  it("should count equivalent spellings of one target together", () => {
    const safety = createTurnSafety();
    const boundary = "Error: Path is outside the configured workspace.";
    safety.afterCall("read_file", { path: "/ETC//passwd/" }, boundary);
    safety.afterCall("write_file", { path: "../../etc/./passwd", content: "x" }, boundary);
    const third = safety.afterCall("list_dir", { path: "%2Fetc%2Fpasswd" }, boundary);
    expect(textOf(third.result).startsWith(REPEATED_BYPASS_PREFIX)).toBe(true);
  });

  it("should start every turn with a fresh budget", () => {
    const first = createTurnSafety();
    for (let i = 0; i < 3; i++) first.afterCall("exec", { command: "cat /etc/passwd" }, EXEC_GUARD);
    const next = createTurnSafety();
    expect(next.afterCall("exec", { command: "cat /etc/passwd" }, EXEC_GUARD).result).toBe(EXEC_GUARD);
  });

  it("should never touch successful results, even if they quote the markers", () => {
    const safety = createTurnSafety();
    const doc = "1| Refusals say: outside the configured workspace; path traversal detected; internal/private.";
    for (let i = 0; i < 4; i++) {
      const checked = safety.afterCall("read_file", { path: "/etc/passwd" }, doc);
      expect(checked).toEqual({ result: doc, events: [] });
    }
  });

  it("should pass other errors through unchanged", () => {
    const safety = createTurnSafety();
    const checked = safety.afterCall("read_file", { path: "x.txt" }, "Error: File not found: x.txt");
    expect(checked).toEqual({ result: "Error: File not found: x.txt", events: [] });
  });

  it("should recognise the boundary texts of every guard", () => {
    for (const text of [
      "Error: Path '/x' is outside the configured workspace (absolute paths must be under /workspace/).",
      "Error: outside allowed directory",
      "Error: working_dir is outside the configured workspace",
      "Error: working_dir could not be resolved",
      "Error: Command blocked by safety guard (path outside working dir)",
      "Error: Command blocked by safety guard (path traversal detected)",
    ]) {
      expect(classifyViolation(text)).toBe("workspace");
    }
    expect(classifyViolation("Error: Command blocked by safety guard (internal/private URL detected)")).toBe("ssrf");
    expect(classifyViolation("Error: that is a private address")).toBe("ssrf");
  });
});

describe("SSRF results", () => {
  it("should append the non-bypassable note and emit ssrf_violation", () => {
    const safety = createTurnSafety();
    const checked = safety.afterCall("web_fetch", { url: "http://169.254.169.254/latest" }, SSRF_ERROR);
    const text = textOf(checked.result);
    expect(text.startsWith(SSRF_ERROR)).toBe(true);
    expect(text).toContain("internal/private");
    expect(text).toContain("non-bypassable security boundary");
    expect(text).toContain("tools.ssrfWhitelist");
    expect(checked.events).toEqual([{ event: "ssrf_violation", detail: "web_fetch: http://169.254.169.254/latest" }]);
  });

  it("should not escalate SSRF refusals into the workspace throttle", () => {
    const safety = createTurnSafety();
    for (let i = 0; i < 4; i++) {
      const text = textOf(safety.afterCall("exec", { command: "curl http://10.0.0.1/" }, SSRF_ERROR).result);
      expect(text.startsWith(SSRF_ERROR)).toBe(true);
      expect(text.split("non-bypassable").length).toBe(2);
    }
  });
});

describe("violation targets", () => {
  it.each([
    ["read_file", { path: "/etc/passwd" }, "/etc/passwd"],
    ["read_file", { path: "../../etc/passwd" }, "/etc/passwd"],
    ["read_file", { path: "notes/../../../etc/passwd" }, "/etc/passwd"],
    ["read_file", { path: "..\\..\\etc\\passwd" }, "/etc/passwd"],
    ["read_file", { path: "%2e%2e/%2e%2e/etc/passwd" }, "/etc/passwd"],
    ["read_file", { path: "file:///etc/passwd" }, "/etc/passwd"],
    ["read_file", { path: "~/.ssh/id_rsa" }, "~/.ssh/id_rsa"],
    ["mcp_fs_copy", { source: "/etc/hosts", destination: "a" }, "/etc/hosts"],
    ["edit_file", { file_path: "/tmp/x/" }, "/tmp/x"],
    ["exec", { command: "cat /etc/passwd 2>/dev/null" }, "/etc/passwd"],
    ["exec", { command: "cat /dev/null /workspace/a.txt /etc/passwd" }, "/etc/passwd"],
    ["exec", { command: "cp /etc/passwd ./x" }, "/etc/passwd"],
    ["exec", { command: `python3 -c "open('/etc/passwd').read()"` }, "/etc/passwd"],
    ["exec", { command: "bash -c 'cat ~/.bashrc'" }, "~/.bashrc"],
    ["exec", { command: "dd if=/etc/passwd of=out" }, "/etc/passwd"],
    ["exec", { command: "cat ../../etc/passwd" }, "/etc/passwd"],
    ["exec", { command: "curl file:///etc/passwd" }, "/etc/passwd"],
    ["exec", { command: "ls", working_dir: "/etc" }, "/etc"],
    ["exec", { command: "cat passwd", working_dir: "/etc/" }, "/etc"],
    ["exec", { command: "cat C:\\Windows\\win.ini" }, null],
    ["exec", { command: "ls -la" }, null],
  ] as const)("should find the target of %s %j", (tool, args, expected) => {
    expect(violationTarget(tool, args as Record<string, unknown>)).toBe(expected);
  });

  it("should normalise paths without touching case", () => {
    expect(normaliseTargetPath("/A//b/./c/../D/")).toBe("/A/b/D");
    expect(normaliseTargetPath("x/y", "/workspace")).toBe("/workspace/x/y");
    expect(normaliseTargetPath("/")).toBe("/");
    expect(normaliseTargetPath("/../../..")).toBe("/");
  });
});
