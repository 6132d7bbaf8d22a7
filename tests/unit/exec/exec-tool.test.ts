import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.ts";
import { buildToolRegistry } from "../../../src/tools/builtin-tools.ts";
import { createExecTool, execTool } from "../../../src/tools/exec/exec-tool.ts";
import type { ToolContext } from "../../../src/tools/types.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";
import type { Workspace } from "../../../src/workspace/workspace.ts";
import { standIns } from "../../support/llm-script.ts";

interface Runner {
  url: string;
  secret: string;
  id?: string;
}

const sharedRunner = (): Runner => standIns().runner;

async function disposableRunner(): Promise<Runner> {
  const res = await fetch(`${standIns().runner.control}/runners`, { method: "POST" });
  return (await res.json()) as Runner;
}

const control = (runner: Runner, what: string, method = "POST") => fetch(`${standIns().runner.control}/runners/${runner.id}${what}`, { method });

function context(workspace: Workspace, runner: Runner, tools: Record<string, unknown> = {}): ToolContext {
  return {
    env,
    config: configSchema.parse({ tools: { ...tools, exec: { runnerUrl: runner.url, runnerSecret: runner.secret, ...(tools.exec as object) } } }),
    workspace,
    sessionKey: "test:exec",
    origin: { channel: "test", chatId: "1" },
    signal: new AbortController().signal,
    emit: () => {},
  };
}

const freshWorkspace = (label: string) => createWorkspace(env.WORKSPACE, `exec-${label}-${crypto.randomUUID()}`);

async function run(workspace: Workspace, args: { command: string; working_dir?: string; timeout?: number }, runner = sharedRunner(), tools = {}) {
  const result = await execTool.execute(execTool.parameters.parse(args), context(workspace, runner, tools));
  if (typeof result !== "string") throw new Error("exec answers in text");
  return result;
}

describe("exec tool", () => {
  it("should take command, working_dir and timeout", () => {
    expect(execTool.name).toBe("exec");
    expect(Object.keys(execTool.parameters.shape)).toEqual(["command", "working_dir", "timeout"]);
    expect(execTool.parameters.safeParse({ command: "ls", timeout: 601 }).success).toBe(false);
  });

  it('should tell the model the truth about the sandbox: none with tools.exec.sandbox "none", one otherwise', async () => {
    const described = async (sandbox?: string) => {
      const config = configSchema.parse({ tools: { exec: { enable: true, ...(sandbox ? { sandbox } : {}) } } });
      return (await buildToolRegistry(config, env)).schemas().find((s) => s.name === "exec")!.description;
    };
    const none = await described("none");
    expect(none).not.toMatch(/in a sandbox|mounted at \/workspace/);
    expect(none).toContain('NO sandbox (tools.exec.sandbox is "none")');
    for (const sandbox of [undefined, "auto", "bwrap", "container"]) expect(await described(sandbox)).toContain("Run a shell command in a sandbox.");
  });

  it("should show a file written to the workspace to the next command", async () => {
    const ws = freshWorkspace("cat");
    await ws.writeFile("notes.txt", "remember the milk\n");
    expect(await run(ws, { command: "cat notes.txt" })).toBe("remember the milk\n\n\nExit code: 0");
  });

  it("should store files a command creates, changes and deletes in the workspace", async () => {
    const ws = freshWorkspace("out");
    await ws.writeFile("old.txt", "old");
    await ws.writeFile("keep.txt", "v1");
    const out = await run(ws, { command: "echo hi > out.txt && echo v2 > keep.txt && rm old.txt && mkdir -p deep/er && printf x > deep/er/f" });
    expect(out).toBe("\nExit code: 0");
    expect(await ws.readText("out.txt")).toBe("hi\n");
    expect(await ws.readText("keep.txt")).toBe("v2\n");
    expect(await ws.readText("deep/er/f")).toBe("x");
    expect(await ws.exists("old.txt")).toBe(false);
  });

  it("should carry binary files through both directions unchanged", async () => {
    const ws = freshWorkspace("bin");
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13, 0x80, 0x7f]);
    await ws.writeFile("a.bin", bytes);
    await run(ws, { command: "cp a.bin b.bin" });
    const copy = await ws.readFile("b.bin");
    expect(new Uint8Array(copy!.body)).toEqual(bytes);
  });

  it("should report stdout, a STDERR block and the exit code", async () => {
    const ws = freshWorkspace("codes");
    expect(await run(ws, { command: "echo out; echo err >&2; exit 3" })).toBe("out\n\nSTDERR:\nerr\n\n\nExit code: 3");
  });

  it("should run in working_dir and refuse one outside the workspace", async () => {
    const ws = freshWorkspace("cwd");
    await ws.writeFile("sub/x.txt", "in sub");
    expect(await run(ws, { command: "cat x.txt", working_dir: "sub" })).toBe("in sub\n\nExit code: 0");
    const refused = await run(ws, { command: "ls", working_dir: "/etc" });
    expect(refused).toMatch(/^Error: working_dir is outside the configured workspace/);
    expect(refused).toContain("hard policy boundary");
  });

  it("should time out, kill the command and say so", async () => {
    const ws = freshWorkspace("timeout");
    const out = await run(ws, { command: "sleep 10", timeout: 1 });
    expect(out.startsWith("Error: Command timed out after 1 seconds")).toBe(true);
  });

  it("should cap a megabyte of output to head and tail and still end with the exit code", async () => {
    const ws = freshWorkspace("big");
    const out = await run(ws, { command: "echo HEAD; head -c 1000000 /dev/zero | tr '\\0' 'y'; echo; echo TAIL" });
    expect(out.length).toBeLessThan(10_200);
    expect(out.startsWith("HEAD\n")).toBe(true);
    expect(out).toMatch(/\.\.\. \(\d+ chars truncated\) \.\.\./);
    expect(out).toMatch(/TAIL\n\n\nExit code: 0$/);
  });

  it("should refuse a guarded command before contacting the runner", async () => {
    const ws = freshWorkspace("guard");
    const dead = { url: "http://127.0.0.1:9", secret: "x".repeat(32) };
    expect(await run(ws, { command: "rm -rf ." }, dead)).toBe("Error: Command blocked by deny pattern filter");
    const outside = await run(ws, { command: "cat /etc/passwd" }, dead);
    expect(outside).toMatch(/^Error: Command blocked by safety guard \(path outside working dir\)/);
    expect(outside).toContain("outside the configured workspace");
  });

  it("should check URLs with the injected SSRF guard", async () => {
    const ws = freshWorkspace("ssrf");
    const tool = createExecTool({ checkUrl: async (url) => (url.includes("intranet") ? "Blocked: intranet.example resolves to private/internal address 10.1.2.3" : null) });
    const out = await tool.execute({ command: "curl -s http://intranet.example/" }, context(ws, sharedRunner()));
    expect(out).toBe("Error: Command blocked by safety guard (internal/private URL detected): Blocked: intranet.example resolves to private/internal address 10.1.2.3");
  });

  it("should keep written and produced files after the runner restarts with a wiped disk", async () => {
    const runner = await disposableRunner();
    const ws = freshWorkspace("restart");
    await ws.writeFile("notes.txt", "from write_file\n");
    expect(await run(ws, { command: "cat notes.txt" }, runner)).toBe("from write_file\n\n\nExit code: 0");
    await run(ws, { command: "echo from exec > out.txt" }, runner);
    expect((await control(runner, "/restart?wipe=1")).status).toBe(200);
    expect(await run(ws, { command: "cat notes.txt out.txt" }, runner)).toBe("from write_file\nfrom exec\n\n\nExit code: 0");
    expect(await ws.readText("out.txt")).toBe("from exec\n");
    // and the resynced state is used from then on
    await ws.writeFile("later.txt", "later\n");
    expect(await run(ws, { command: "cat later.txt" }, runner)).toBe("later\n\n\nExit code: 0");
    await control(runner, "", "DELETE");
  });

  it("should resend the workspace when the Worker's sync state is lost but the runner kept its copy", async () => {
    const runner = await disposableRunner();
    const ws = freshWorkspace("lost-state");
    await ws.writeFile("a.txt", "A\n");
    await run(ws, { command: "echo B > b.txt" }, runner);
    await env.DB.prepare("DELETE FROM sandbox_sync WHERE workspace_id = ?").bind(ws.id).run();
    await ws.deleteFile("a.txt");
    expect(await run(ws, { command: "ls" }, runner)).toBe("b.txt\n\n\nExit code: 0");
    await control(runner, "", "DELETE");
  });

  it("should return a clear error when the runner is down", async () => {
    const runner = await disposableRunner();
    await control(runner, "", "DELETE");
    const out = await run(freshWorkspace("down"), { command: "echo hi" }, runner);
    expect(out).toMatch(/^Error: the sandbox runner at http:\/\/127\.0\.0\.1:\d+ is not reachable/);
    expect(out).toContain("npm start");
    expect(out).toContain("The command did not run.");
  });

  it("should explain a secret mismatch", async () => {
    const out = await run(freshWorkspace("secret"), { command: "echo hi" }, { url: sharedRunner().url, secret: "wrong-secret-wrong-secret" });
    expect(out).toMatch(/^Error: the sandbox runner refused the command: .*rejected our signature/);
    expect(out).toContain("runnerSecret");
  });

  it("should explain how to configure a runner when none is set", async () => {
    const out = await run(freshWorkspace("none"), { command: "echo hi" }, { url: "", secret: "" });
    expect(out).toMatch(/^Error: exec needs a sandbox runner/);
    expect(out).toContain("tools.exec.runnerUrl");
  });
});
