import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import type { CommandSession } from "../../../durable-objects/session/commands/types.ts";
import { configSchema } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import { McpPool } from "../../../src/mcp/mcp-pool.ts";
import { execStatusLine } from "../../../src/sandbox/runner-status.ts";
import { execTool } from "../../../src/tools/exec/exec-tool.ts";
import type { ToolContext } from "../../../src/tools/types.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";
import type { Workspace } from "../../../src/workspace/workspace.ts";
import { standIns } from "../../support/llm-script.ts";
import { containerBinding } from "../../support/stand-in-container.ts";

interface Runner {
  url: string;
  secret: string;
  id: string;
}

const started: Runner[] = [];
async function disposableRunner(query: string): Promise<Runner> {
  const runner = (await (await fetch(`${standIns().runner.control}/runners?${query}`, { method: "POST" })).json()) as Runner;
  started.push(runner);
  return runner;
}
afterAll(async () => {
  for (const r of started) await fetch(`${standIns().runner.control}/runners/${r.id}`, { method: "DELETE" });
});

type Settings = { exec?: Record<string, unknown>; isolation?: "agent" | "user"; mcpServers?: Record<string, unknown>; restrictToWorkspace?: boolean };
const configFor = (runner: { url: string; secret: string }, s: Settings = {}) =>
  configSchema.parse({
    agents: { isolation: s.isolation ?? "agent" },
    tools: { restrictToWorkspace: s.restrictToWorkspace ?? true, exec: { runnerUrl: runner.url, runnerSecret: runner.secret, ...s.exec }, mcpServers: s.mcpServers ?? {} },
  });

function context(workspace: Workspace, config: ReturnType<typeof configFor>, workerEnv: Env = env): ToolContext {
  return {
    env: workerEnv,
    config,
    workspace,
    sessionKey: "test:exec-sandbox",
    origin: { channel: "test", chatId: "1" },
    signal: new AbortController().signal,
    emit: () => {},
  };
}

async function run(workspace: Workspace, command: string, config: ReturnType<typeof configFor>, workerEnv?: Env): Promise<string> {
  const result = await execTool.execute(execTool.parameters.parse({ command }), context(workspace, config, workerEnv));
  if (typeof result !== "string") throw new Error("exec answers in text");
  return result;
}

const statusOf = (config: ReturnType<typeof configFor>) =>
  execStatusLine({ config, env, getMeta: () => undefined } as unknown as CommandSession);

const fresh = (label: string) => createWorkspace(env.WORKSPACE, `sandbox-${label}-${crypto.randomUUID()}`);

describe("exec when the runner cannot sandbox", () => {
  it("should refuse the command with how to fix it (default auto), and run nothing", async () => {
    const runner = await disposableRunner("bwrap=missing");
    const ws = fresh("refuse");
    const config = configFor(runner);
    const out = await run(ws, "echo ran > ran.txt", config);
    expect(out).toMatch(/^Error: exec refused: no sandbox — bubblewrap is not usable/);
    expect(out).toContain("apt-get install bubblewrap");
    expect(out).toContain("user namespaces");
    expect(out).toContain('set tools.exec.sandbox to "none"');
    expect(out).toContain("The command did not run.");
    expect(await ws.exists("ran.txt")).toBe(false);
    const status = await statusOf(config);
    expect(status).toMatch(/^🧰 exec: refused — no sandbox/);
    expect(status).toContain("apt-get install bubblewrap");
  });

  it('should refuse "bwrap" there too', async () => {
    const runner = await disposableRunner("bwrap=missing");
    expect(await run(fresh("bwrap"), "true", configFor(runner, { exec: { sandbox: "bwrap" } }))).toMatch(/^Error: exec refused: no sandbox/);
  });

  it('should run without a sandbox when tools.exec.sandbox is "none", and /status says so', async () => {
    const runner = await disposableRunner("bwrap=missing");
    const config = configFor(runner, { exec: { sandbox: "none" } });
    const ws = fresh("none");
    expect(await run(ws, "echo ran > ran.txt && echo done", config)).toBe("done\n\n\nExit code: 0");
    expect(await ws.readText("ran.txt")).toBe("ran\n");
    expect(await statusOf(config)).toBe('🧰 exec: sandbox none — commands run without isolation (tools.exec.sandbox "none")');
  });

  it("should refuse tools.exec.network false where bubblewrap cannot take the network away", async () => {
    const runner = await disposableRunner("bwrap=missing");
    const out = await run(fresh("nonet-none"), "true", configFor(runner, { exec: { sandbox: "none", network: false } }));
    expect(out).toMatch(/^Error: exec refused: tools\.exec\.network is false, which needs the bubblewrap sandbox/);
  });

  it('should refuse "container" on a runner that is not in one', async () => {
    const out = await run(fresh("container"), "true", configFor(standIns().runner, { exec: { sandbox: "container" } }));
    expect(out).toContain('tools.exec.sandbox is "container" but the sandbox runner is not running in a container');
  });

  it("should count a runner in a container as the sandbox for auto", async () => {
    const runner = await disposableRunner("bwrap=missing&container=1");
    const config = configFor(runner);
    expect(await run(fresh("boxed"), "echo boxed", config)).toBe("boxed\n\n\nExit code: 0");
    expect(await statusOf(config)).toMatch(/^🧰 exec: sandbox container \(inside it: (user|none); tools\.exec\.sandbox "auto"\)$/);
  });
});

describe("exec on a runner with bubblewrap", () => {
  it('should say "bwrap" in /status and run the command there', async () => {
    const config = configFor(standIns().runner);
    expect(await statusOf(config)).toBe('🧰 exec: sandbox bwrap (tools.exec.sandbox "auto")');
    expect(await run(fresh("bwrap-ok"), "hostname", config)).toBe("sandbox\n\n\nExit code: 0");
  });

  it("should cut a command off every network with tools.exec.network false", async () => {
    // The workspace check would refuse the absolute /dev/tcp path before the runner sees it.
    const config = configFor(standIns().runner, { exec: { network: false }, restrictToWorkspace: false });
    const port = new URL(standIns().webPages).port;
    // No URL in the command text: only the missing network stops it.
    const out = await run(fresh("nonet"), `(exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null && echo reached || echo unreachable`, config);
    expect(out).toBe("unreachable\n\n\nExit code: 0");
    expect(await statusOf(config)).toBe('🧰 exec: sandbox bwrap, no network (tools.exec.sandbox "auto")');
  });
});


describe("container instances per workspace", () => {
  const runner = () => standIns().runner;
  const deployed = (s: Settings) => {
    const config = configFor({ url: "", secret: runner().secret }, s);
    return config;
  };

  it('should give each workspace its own container instance with agents.isolation "user"', async () => {
    const { reached, env: workerEnv } = containerBinding(runner());
    const [a, b] = [fresh("user-a"), fresh("user-b")];
    // The stand-in runner is on a host with bubblewrap; "bwrap" keeps the demand honest for it.
    const config = deployed({ isolation: "user", exec: { sandbox: "bwrap" } });
    expect(await run(a, "echo a", config, workerEnv)).toBe("a\n\n\nExit code: 0");
    expect(await run(b, "echo b", config, workerEnv)).toBe("b\n\n\nExit code: 0");
    expect([...new Set(reached)]).toEqual([a.id, b.id]);
  });

  it('should keep one shared instance with the default agents.isolation "agent"', async () => {
    const { reached, env: workerEnv } = containerBinding(runner());
    const config = deployed({ exec: { sandbox: "bwrap" } });
    await run(fresh("agent-a"), "true", config, workerEnv);
    await run(fresh("agent-b"), "true", config, workerEnv);
    expect([...new Set(reached)]).toEqual(["runner"]);
  });

  it("should start a workspace's stdio MCP servers in that workspace's instance", async () => {
    const { reached, env: workerEnv } = containerBinding(runner());
    const mcpServers = { local: { ...runner().stdioMcp, env: { GREETING: "hej" } } };
    const config = deployed({ isolation: "user", exec: { sandbox: "bwrap" }, mcpServers });
    const pool = new McpPool();
    try {
      for (const ws of [fresh("mcp-user-a"), fresh("mcp-user-b")]) {
        const echo = (await pool.tools(config, workerEnv, ws.id)).find((t) => t.name === "mcp_local_echo");
        expect(await echo!.execute(echo!.parameters.parse({ text: ws.id }), context(ws, config, workerEnv))).toBe(`echo: ${ws.id}`);
        expect(reached.at(-1)).toBe(ws.id);
      }
      expect(new Set(reached).size).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
