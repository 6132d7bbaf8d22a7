/**
 * An MCP tool with an outputSchema, called under the real `npm start` (wrangler dev, workerd). vitest's
 * workerd tolerates the SDK's default AJV validator, which compiles schemas with `new Function`; the real
 * runtime does not (toolchain.md row 7). This test fails if the client ever loses the cfworker validator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descendants, isAlive } from "../support/process-tree.ts";
import { cleanEnv, repoRoot } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import { startStandInMcp, type StandInMcp } from "../support/stand-in-mcp.ts";

const API_KEY = "mcp-e2e-key";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

let llm: StandInLlm;
let mcp: StandInMcp;
let persistDir: string;
let child: ChildProcess | null = null;
let pids: number[] = [];
let output = "";

beforeAll(async () => {
  llm = await startStandInLlm();
  mcp = await startStandInMcp();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-mcp-e2e-"));
});

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
  it("should call a tool with an outputSchema and hand its structured result to the model", { timeout: 240_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = {
      agents: { defaults: { provider: "custom", model: "test-model" } },
      providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
      api: { apiKey: API_KEY },
      tools: { mcpServers: { test: { url: `${mcp.url}/mcp` } } },
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

    const token = `mcp-e2e-${Math.random().toString(36).slice(2, 10)}`;
    await fetch(`${llm.url}/__scripts`, {
      method: "POST",
      body: JSON.stringify({ match: token, steps: [{ toolCalls: [{ name: "mcp_test_forecast", arguments: { city: "Lagos" } }] }, { content: "forecast relayed" }] }),
    });
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ session_id: token, messages: [{ role: "user", content: `weather please ${token}` }] }),
    });
    expect(res.status, output).toBe(200);
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content).toBe("forecast relayed");

    const requests = (await (await fetch(`${llm.url}/__requests?match=${token}`)).json()) as Array<{ body: { messages: Array<{ role: string; content: unknown }> } }>;
    const toolMessage = requests.at(-1)!.body.messages.find((m) => m.role === "tool");
    expect(JSON.parse(String(toolMessage?.content))).toEqual({ city: "Lagos", temperatureC: 21.5, conditions: "sunny" });
    expect(output).not.toContain("Error compiling schema");
  });
});
