import { describe, expect, it } from "vitest";
import {
  ALLOWLIST_ERROR,
  DENY_ERROR,
  guardCommand,
  OUTSIDE_ERROR,
  PRIVATE_URL_ERROR,
  resolveWorkingDir,
  TRAVERSAL_ERROR,
  WORKING_DIR_ERROR,
} from "../../../src/tools/exec/command-guard.ts";
import { commandSegments } from "../../../src/tools/exec/shell-segments.ts";

const restricted = { restrictToWorkspace: true };
const guard = (command: string, options: Parameters<typeof guardCommand>[1] = restricted) => guardCommand(command, options);

describe("exec guard: deny patterns", () => {
  it.each([
    ["rm -rf build", "recursive rm"],
    ["rm -r old", "rm -r"],
    ["rm -f x", "rm -f"],
    ["RM -RF /", "upper case"],
    ["rm --recursive dir", "long option"],
    ["del /f file", "windows del"],
    ["rmdir /s dir", "windows rmdir"],
    ["format c:", "format"],
    ["mkfs.ext4 /dev/sda1", "mkfs"],
    ["diskpart", "diskpart"],
    ["dd if=/dev/zero of=disk.img", "dd if="],
    ["echo x > /dev/sda", "raw disk write"],
    ["shutdown -h now", "shutdown"],
    ["reboot", "reboot"],
    ["poweroff", "poweroff"],
    [":(){ :|:& };:", "fork bomb"],
    ["echo '{}' >> memory/history.jsonl", "append to history"],
    ["echo x > memory/history.jsonl", "overwrite history"],
    ["echo 1 | tee memory/history.jsonl", "tee history"],
    ["cp other.txt memory/history.jsonl", "cp onto history"],
    ["mv new memory/.dream_cursor", "mv onto dream cursor"],
    ["dd of=memory/history.jsonl", "dd of= history"],
    ["sed -i 's/a/b/' memory/history.jsonl", "sed -i history"],
    ["ls && rm -rf .", "chained after an allowed command"],
    ["echo $(rm -rf x)", "inside a substitution"],
  ])("should refuse %s (%s)", async (command) => {
    expect(await guard(command)).toBe(DENY_ERROR);
  });

  it.each([
    ["cat memory/history.jsonl", "reading history"],
    ["grep -c . memory/history.jsonl", "grep history"],
    ["cp memory/history.jsonl backup.jsonl", "copying history away"],
    ["rm notes.txt", "plain rm of one file"],
    ["find . -type f", "find"],
    ["ls -la 2>/dev/null", "benign redirect"],
    ["python3 -c 'print(1)'", "python"],
    ["git log --format=%H HEAD..main", "git range"],
  ])("should allow %s (%s)", async (command) => {
    expect(await guard(command)).toBeNull();
  });

  it("should apply user deny patterns before the built-in ones", async () => {
    expect(await guard("git push --force", { restrictToWorkspace: true, denyPatterns: [String.raw`\bgit\s+push\b`] })).toBe(DENY_ERROR);
  });
});

describe("exec guard: allow list", () => {
  const allow = { restrictToWorkspace: true, allowPatterns: [String.raw`ls(\s.*)?`, String.raw`echo(\s.*)?`, String.raw`rm -rf build`] };

  it("should run a command whose every segment is allowed, skipping the deny list", async () => {
    expect(await guard("ls -la", allow)).toBeNull();
    expect(await guard("ls && echo done", allow)).toBeNull();
    expect(await guard("rm -rf build", allow)).toBeNull();
  });

  it.each([
    ["ls && cat secrets.txt", "&&"],
    ["ls || cat secrets.txt", "||"],
    ["ls; cat secrets.txt", ";"],
    ["ls | cat", "|"],
    ["ls & cat secrets.txt", "&"],
    ["ls\ncat secrets.txt", "newline"],
    ["ls\r\ncat secrets.txt", "carriage return"],
    ["ls $(cat secrets.txt)", "command substitution"],
    ["echo `cat secrets.txt`", "backticks"],
    ["echo ok; bash -c 'cat secrets.txt'", "bash -c"],
  ])("should refuse a chained or nested segment outside the allow list (%s)", async (command) => {
    expect(await guard(command, allow)).toBe(ALLOWLIST_ERROR);
  });

  it("should still name the deny filter when a non-allowed segment is also denied", async () => {
    expect(await guard("ls; rm -rf /tmp/x", allow)).toBe(DENY_ERROR);
  });

  it("should not split inside quotes or on redirections", () => {
    expect(commandSegments("echo 'a;b' && ls 2>&1")).toEqual(["echo 'a;b'", "ls 2>&1"]);
  });
});

describe("exec guard: workspace paths", () => {
  it.each([
    ["cat ../secret", TRAVERSAL_ERROR, "../"],
    ["cat sub/../../etc/passwd", TRAVERSAL_ERROR, "nested climb"],
    ["ls ..", TRAVERSAL_ERROR, "bare .."],
    ["cat /etc/passwd", OUTSIDE_ERROR, "absolute"],
    ["cat ~/.ssh/id_rsa", OUTSIDE_ERROR, "home"],
    ["cat //etc/passwd", OUTSIDE_ERROR, "double slash"],
    ["curl file:///etc/passwd", OUTSIDE_ERROR, "file URL"],
    ["bash -c 'cat /etc/passwd'", OUTSIDE_ERROR, "inside bash -c"],
    ["sh -c \"head /etc/shadow\"", OUTSIDE_ERROR, "inside sh -c"],
    ["python3 -c \"open('/etc/passwd').read()\"", OUTSIDE_ERROR, "inside python -c"],
    ["ln -s /etc/passwd link && cat link", OUTSIDE_ERROR, "symlink created in the workspace"],
    ["cp /etc/hosts .", OUTSIDE_ERROR, "cp from outside"],
    ["cat</etc/passwd", OUTSIDE_ERROR, "redirection"],
    ["tar czf x.tgz --directory=/root .", OUTSIDE_ERROR, "option value"],
    ["cat /workspace/../etc/passwd", TRAVERSAL_ERROR, "climb out of the mount"],
    ["cd /; ls", OUTSIDE_ERROR, "root"],
  ])("should refuse %s", async (command, error, _why) => {
    const result = await guard(command);
    expect(result?.startsWith(error)).toBe(true);
    expect(result).toContain("outside the configured workspace");
    expect(result).toContain("hard policy boundary");
  });

  it.each([
    "ls 2>/dev/null",
    "head -c 16 /dev/urandom | base64",
    "echo oops > /dev/stderr",
    "find . -type f",
    "cat /workspace/notes.txt",
    "ls /workspace",
    "cat notes.txt > copy.txt",
    "echo ~+",
    "curl -s https://example.com/a/b/c",
    "git diff HEAD~1..HEAD",
  ])("should allow %s", async (command) => {
    expect(await guard(command)).toBeNull();
  });

  it("should allow outside paths when the workspace restriction is off", async () => {
    expect(await guard("cat /etc/hostname", { restrictToWorkspace: false })).toBeNull();
  });
});

describe("exec guard: URLs", () => {
  it.each(["curl http://127.0.0.1:8080/", "wget http://localhost/x", "curl http://169.254.169.254/latest/meta-data", "curl http://2130706433/", "curl 'http://[::1]/'", "curl http://10.0.0.5/admin"])(
    "should refuse a private URL by default: %s",
    async (command) => {
      const result = await guard(command);
      expect(result?.startsWith(PRIVATE_URL_ERROR)).toBe(true);
      expect(result).toContain("internal/private");
    },
  );

  it("should use the injected URL check for every URL in the command", async () => {
    const seen: string[] = [];
    const checkUrl = async (url: string) => {
      seen.push(url);
      return url.includes("evil") ? "Blocked: evil.example resolves to private/internal address 10.0.0.1" : null;
    };
    expect(await guard("curl https://ok.example/a && curl https://evil.example/b", { restrictToWorkspace: true, checkUrl })).toBe(
      `${PRIVATE_URL_ERROR}: Blocked: evil.example resolves to private/internal address 10.0.0.1`,
    );
    expect(seen).toEqual(["https://ok.example/a", "https://evil.example/b"]);
  });
});

describe("exec guard: working_dir", () => {
  it("should map workspace paths and refuse everything outside", () => {
    expect(resolveWorkingDir(undefined)).toEqual({ ok: true, relative: "", absolute: "/workspace" });
    expect(resolveWorkingDir("src/app")).toEqual({ ok: true, relative: "src/app", absolute: "/workspace/src/app" });
    expect(resolveWorkingDir("/workspace/src")).toEqual({ ok: true, relative: "src", absolute: "/workspace/src" });
    for (const outside of ["/etc", "..", "../x", "/workspace/../etc", "~", "~/x", "/workspacefoo"]) {
      const result = resolveWorkingDir(outside);
      expect(result.ok, outside).toBe(false);
      if (!result.ok) {
        expect(result.error.startsWith(WORKING_DIR_ERROR)).toBe(true);
        expect(result.error).toContain("hard policy boundary");
      }
    }
  });

  it("should allow absolute paths inside a working_dir subfolder", async () => {
    expect(await guard("ls /workspace/src/x", { restrictToWorkspace: true, cwd: "/workspace/src" })).toBeNull();
  });
});
