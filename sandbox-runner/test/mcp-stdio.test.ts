import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, afterEach, describe, expect, it } from "vitest";
// The Worker's own client side of the bridge: the signing and URL scheme must match the runner's.
import { signedRunnerFetch, stdioBridgeUrl } from "../../src/mcp/stdio-bridge.ts";
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { bwrapWorks } from "../src/isolation.ts";
import { processesWith, startTestRunner, type TestRunner } from "./runner-harness.ts";

const hasBwrap = bwrapWorks();

/** The servers' own processes (argv[0] is node), not the bwrap processes around them. */
async function serverProcesses(): Promise<number[]> {
  return (await processesWith(fixture)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === process.execPath;
    } catch {
      return false;
    }
  });
}

/**
 * The stand-in server under a path of this file's own (a symlink in a fresh temp folder): the process checks
 * below look for it in every command line on the machine, and the Worker tests start the same stand-in
 * through their runner at the same time.
 */
const fixture = (() => {
  const target = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "tests", "support", "stand-in-stdio-mcp.ts");
  const dir = mkdtempSync(path.join(tmpdir(), "mcp-stdio-test-"));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700; servers may run as another user
  const link = path.join(dir, "stand-in-stdio-mcp.ts");
  symlinkSync(target, link);
  return link;
})();
const serverConfig = (env: Record<string, string> = {}) => ({ command: process.execPath, args: [fixture], env, toolTimeout: 30, enabledTools: ["*"] }) as never;

afterAll(() => rmSync(path.dirname(fixture), { recursive: true, force: true }));

let runner: TestRunner | null = null;
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
  await runner?.dispose();
  runner = null;
});

async function connect(r: TestRunner, server = "local", env: Record<string, string> = {}, sandbox?: "auto" | "none"): Promise<Client> {
  const client = new Client({ name: "test", version: "1" }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(stdioBridgeUrl(r.url, server, serverConfig(env), sandbox), { fetch: signedRunnerFetch(r.secret) });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const textOf = (result: unknown) => ((result as { content: Array<{ text: string }> }).content[0]?.text ?? "");

describe("stdio MCP servers through the runner", () => {
  it("should list and call a stdio server's tools over signed Streamable HTTP", async () => {
    runner = await startTestRunner();
    const client = await connect(runner, "local", { GREETING: "hej", PROBE_PATH: path.join(runner.root, "state") });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["crash", "echo", "whoami"]);
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "hello" } }))).toBe("echo: hello");

    const facts = JSON.parse(textOf(await client.callTool({ name: "whoami", arguments: {} })));
    expect(facts.greeting).toBe("hej");
    expect(facts.runnerSecret).toBeNull();
    if (hasBwrap) {
      // The same sandbox as exec commands: uid 1000, hostname "sandbox", its own directory at /workspace, and
      // none of the runner's state in sight.
      expect(facts).toMatchObject({ cwd: "/workspace", uid: 1000, hostname: "sandbox", probeVisible: false });
    } else {
      expect(facts.cwd).toBe(path.join(runner.root, "mcp", "local"));
      // As root the server runs under a uid of its own, not as root and not as any workspace's user.
      if (process.getuid?.() === 0) expect(facts.uid).toBe(100_000 - 1);
    }
    const health = await (await runner.call("GET", "/health")).json();
    expect(health.mcpServers).toBe(1);
  });

  it("should refuse unsigned requests and unknown sessions", async () => {
    runner = await startTestRunner();
    const url = stdioBridgeUrl(runner.url, "local", serverConfig());
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } };
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const unsigned = await fetch(url, { method: "POST", headers, body: JSON.stringify(init) });
    expect(unsigned.status).toBe(401);
    const unknown = await signedRunnerFetch(runner.secret)(url, {
      method: "POST",
      headers: { ...headers, "mcp-session-id": "no-such-session" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
    });
    expect(unknown.status).toBe(404);
    expect(await processesWith(fixture)).toEqual([]);
  });

  it("should tell a waiting call why the server died, and start a fresh process for the next session", async () => {
    runner = await startTestRunner();
    const client = await connect(runner);
    const failed = await client.callTool({ name: "crash", arguments: {} }).then(
      () => "no error",
      (err: Error) => err.message,
    );
    expect(failed).toContain("MCP server 'local' exited");
    expect(failed).toContain("crashing on purpose");
    const again = await connect(runner);
    expect(textOf(await again.callTool({ name: "echo", arguments: { text: "back" } }))).toBe("echo: back");
  });

  it("should say clearly when the command cannot be started", async () => {
    runner = await startTestRunner();
    const client = new Client({ name: "test", version: "1" }, { capabilities: {} });
    const bad = { command: "/nonexistent/mcp-server", args: [], env: {} } as never;
    const error = await client
      .connect(new StreamableHTTPClientTransport(stdioBridgeUrl(runner.url, "broken", bad), { fetch: signedRunnerFetch(runner.secret) }))
      .then(
        () => "connected",
        (err: Error) => err.message,
      );
    expect(error).toContain("MCP server 'broken' could not be started (/nonexistent/mcp-server)");
  });

  it("should not start a server it cannot sandbox unless tools.exec.sandbox is none", async () => {
    runner = await startTestRunner({ bwrapPath: "/nonexistent/bwrap" });
    const error = await connect(runner, "boxless").then(
      () => "connected",
      (err: Error) => err.message,
    );
    expect(error).toContain("MCP server 'boxless' not started: exec refused: no sandbox");
    expect(error).toContain("apt-get install bubblewrap");
    expect(await serverProcesses()).toEqual([]);
    const client = await connect(runner, "boxless", {}, "none");
    expect(textOf(await client.callTool({ name: "echo", arguments: { text: "unboxed" } }))).toBe("echo: unboxed");
    // Without bwrap: its own directory on the host, and as root a uid no workspace has.
    const facts = JSON.parse(textOf(await client.callTool({ name: "whoami", arguments: {} })));
    expect(facts.cwd).toBe(path.join(runner.root, "mcp", "boxless"));
    if (process.getuid?.() === 0) expect(facts.uid).toBe(100_000 - 1);
  });

  it("should stop every server process when the runner stops", async () => {
    runner = await startTestRunner();
    await connect(runner, "one");
    await connect(runner, "two");
    expect((await serverProcesses()).length).toBe(2);
    await runner.dispose();
    runner = null;
    await new Promise((r) => setTimeout(r, 200));
    expect(await processesWith(fixture)).toEqual([]);
  });
});
