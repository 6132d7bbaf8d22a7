/**
 * MCP under the real `npm start` (wrangler dev, workerd, the local sandbox runner):
 * - an MCP tool with an outputSchema. vitest's workerd tolerates the SDK's default AJV validator, which
 *   compiles schemas with `new Function`; the real runtime does not (toolchain.md row 7). This test fails if
 *   the client ever loses the cfworker validator.
 * - a stdio server (`command` + `args`), which only the sandbox runner can start, bridged to the Worker.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descendants, isAlive } from "../support/process-tree.ts";
import { cleanEnv, repoRoot } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import { startStandInMcp, type StandInMcp } from "../support/stand-in-mcp.ts";
import { freePort } from "../../scripts/lib/net-wait.ts";

const API_KEY = "mcp-e2e-key";
const stdioServer = path.join(repoRoot, "tests", "support", "stand-in-stdio-mcp.ts");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


let llm: StandInLlm;
let mcp: StandInMcp;
let persistDir: string;
let child: ChildProcess | null = null;
let pids: number[] = [];
let output = "";
let url = "";

async function turn(token: string, steps: object[]): Promise<{ reply: string; tools: string[] }> {
  await fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match: token, steps }) });
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ session_id: token, messages: [{ role: "user", content: `please ${token}` }] }),
  });
  expect(res.status, output).toBe(200);
  const reply = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
  const requests = (await (await fetch(`${llm.url}/__requests?match=${token}`)).json()) as Array<{ body: { messages: Array<{ role: string; content: unknown }> } }>;
  const tools = requests.at(-1)!.body.messages.filter((m) => m.role === "tool").map((m) => String(m.content));
  return { reply, tools };
}

beforeAll(async () => {
  llm = await startStandInLlm();
  mcp = await startStandInMcp();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-mcp-e2e-"));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const config = {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: API_KEY },
    tools: { mcpServers: { test: { url: `${mcp.url}/mcp` }, local: { command: process.execPath, args: [stdioServer], env: { GREETING: "hej" } } } },
  };
  child = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", persistDir, "--var", `NANOBOT_CONFIG:${JSON.stringify(config)}`], {
    cwd: repoRoot,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway never became healthy. Output:\n${output}`);
    await sleep(250);
  }
  pids = descendants(child.pid!);
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(15_000)]);
  }
  for (const pid of [child?.pid ?? 0, ...pids].filter((p) => p && isAlive(p))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await mcp?.close();
  await llm?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("MCP under npm start (real workerd)", () => {
  it("should call a tool with an outputSchema and hand its structured result to the model", async () => {
    const token = `mcp-e2e-${Math.random().toString(36).slice(2, 10)}`;
    const { reply, tools } = await turn(token, [{ toolCalls: [{ name: "mcp_test_forecast", arguments: { city: "Lagos" } }] }, { content: "forecast relayed" }]);
    expect(reply).toBe("forecast relayed");
    expect(JSON.parse(tools[0])).toEqual({ city: "Lagos", temperatureC: 21.5, conditions: "sunny" });
    expect(output).not.toContain("Error compiling schema");
  });

  it("should run a stdio server (command + args) in the sandbox runner and call its tools", async () => {
    const token = `mcp-stdio-${Math.random().toString(36).slice(2, 10)}`;
    const { reply, tools } = await turn(token, [
      { toolCalls: [{ name: "mcp_local_echo", arguments: { text: "over stdio" } }, { name: "mcp_local_whoami", arguments: {} }] },
      { content: "stdio relayed" },
    ]);
    expect(reply, output.split("\n").filter((l) => /mcp/i.test(l)).join("\n")).toBe("stdio relayed");
    expect(tools[0], output.split("\n").filter((l) => /mcp/i.test(l)).join("\n")).toBe("echo: over stdio");
    expect(tools[0]).toBe("echo: over stdio");
    const facts = JSON.parse(tools[1]);
    expect(facts.greeting).toBe("hej");
    // The runner's secret stays with the runner.
    expect(facts.runnerSecret).toBeNull();
  });
});
