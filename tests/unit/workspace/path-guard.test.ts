import { describe, expect, it } from "vitest";
import { ToolError } from "../../../src/tools/types.ts";
import { WORKSPACE_MOUNT, WorkspaceBoundaryError, resolveWorkspacePath } from "../../../src/workspace/path-guard.ts";

const INSIDE: Array<[string, string]> = [
  ["notes/a.txt", "notes/a.txt"],
  ["./x", "x"],
  ["/workspace/x", "x"],
  ["/workspace", ""],
  ["/workspace/", ""],
  [".", ""],
  ["", ""],
  ["notes//deep///b.md", "notes/deep/b.md"],
  ["notes/../a.txt", "a.txt"],
  ["a/b/../../c", "c"],
  ["memory/MEMORY.md", "memory/MEMORY.md"],
  ["  spaced.txt  ", "spaced.txt"],
  ["report 100%.txt", "report 100%.txt"],
  ["a%20b.txt", "a%20b.txt"],
  ["...hidden", "...hidden"],
  ["dir/file..txt", "dir/file..txt"],
  ["//workspace/x", "x"],
  ["données/été.md", "données/été.md"],
];

const OUTSIDE: string[] = [
  "../secret",
  "..",
  "../../etc/passwd",
  "notes/../../x",
  "/etc/passwd",
  "//etc/passwd",
  "/workspace/../etc/passwd",
  "/workspacex/a",
  "/tmp",
  "~",
  "~/.ssh/id_rsa",
  "~root/.bashrc",
  "file:///etc/passwd",
  "file://localhost/etc/passwd",
  "..\\..\\windows\\win.ini",
  "notes\\..\\..\\x",
  "\\\\server\\share\\x",
  "\\etc\\passwd",
  "%2e%2e%2fetc%2fpasswd",
  "%2E%2E/%2E%2E/etc/passwd",
  "..%2fetc%2fpasswd",
  "%252e%252e%252fetc%252fpasswd",
  "%25252e%25252e%25252f",
  "%2fetc%2fpasswd",
  "%u002e%u002e%u002fetc",
  "..%c0%afetc",
  "\uff0e\uff0e\uff0fetc\uff0fpasswd",
  "notes/a.txt\0.png",
  "notes%00.txt",
  "C:\\Windows\\system32",
  "c:/windows",
  "D:relative",
  "http://169.254.169.254/latest",
];

describe("resolveWorkspacePath", () => {
  it("should document the mount the sandbox runner uses", () => {
    expect(WORKSPACE_MOUNT).toBe("/workspace");
  });

  it.each(INSIDE)("should accept %j as %j", (input, expected) => {
    expect(resolveWorkspacePath(input)).toBe(expected);
  });

  it.each(OUTSIDE)("should refuse %j with a recoverable boundary error", (input) => {
    let error: unknown;
    try {
      resolveWorkspacePath(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WorkspaceBoundaryError);
    expect(error).toBeInstanceOf(ToolError);
    const message = (error as Error).message;
    expect(message.includes("outside the configured workspace") || message.includes("path traversal detected")).toBe(true);
    expect(message).toContain("hard policy boundary");
    expect(message).not.toContain("\0");
  });

  it("should say path traversal detected for '..' escapes, encoded or not", () => {
    expect(() => resolveWorkspacePath("../x")).toThrow(/path traversal detected/);
    expect(() => resolveWorkspacePath("%2e%2e%2fx")).toThrow(/path traversal detected/);
  });

  it("should refuse paths longer than an R2 key can hold", () => {
    expect(() => resolveWorkspacePath("a/".repeat(500) + "b")).toThrow(/too long/);
  });
});
