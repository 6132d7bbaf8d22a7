/**
 * End to end: the real `npm start` (migrations, wrangler dev, workerd) and the real `npx nanobot`, with the
 * Worker's LLM provider pointed at the stand-in LLM. Checks the session history across turns and across a
 * restart with the same --persist-to folder, and that Ctrl-C (SIGINT to the process group, as a terminal
 * sends it) leaves no process behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { descendants, isAlive, stopProcessGroup } from "../support/process-tree.ts";
import { cleanEnv, repoRoot } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import net from "node:net";
import { freePort } from "../../scripts/lib/net-wait.ts";

const API_KEY = "e2e-key";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Gateway {
  child: ChildProcess;
  /** Every process the gateway started, recorded once it is healthy (for the checks and for cleanup). */
  pids: number[];
  output: () => string;
  exited: Promise<number | null>;
}


function startGateway(port: number, persistDir: string, config: object): Gateway {
  const child = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", persistDir, "--var", `NANOBOT_CONFIG:${JSON.stringify(config)}`], {
    cwd: repoRoot,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so the test can send SIGINT the way a terminal's Ctrl-C does
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, pids: [], output: () => output, exited };
}

async function waitForHealth(url: string, gateway: Gateway, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void gateway.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) {
        gateway.pids = descendants(gateway.child.pid!);
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`gateway never became healthy at ${url}. Output:\n${gateway.output()}`);
}

/** Ctrl-C, then every process the gateway had started must be gone. */
async function stopGateway(gateway: Gateway): Promise<void> {
  process.kill(-gateway.child.pid!, "SIGINT");
  await gateway.exited;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && gateway.pids.some(isAlive)) await sleep(200);
  expect(gateway.pids.filter(isAlive), `left behind after Ctrl-C. Output:\n${gateway.output()}`).toEqual([]);
}

function npxNanobot(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["nanobot", ...args], { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, "") }));
  });
}

async function requestsMatching(llm: StandInLlm, text: string): Promise<Array<{ body: { messages: Array<{ role: string; content: unknown }> } }>> {
  const res = await fetch(`${llm.url}/__requests?match=${encodeURIComponent(text)}`);
  return res.json() as Promise<Array<{ body: { messages: Array<{ role: string; content: unknown }> } }>>;
}

let llm: StandInLlm;
let persistDir: string;
const running: Gateway[] = [];
beforeAll(async () => {
  llm = await startStandInLlm();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-e2e-"));
});
afterAll(async () => {
  // After a failed assertion a gateway may still run: Ctrl-C it, and SIGKILL whatever survives, so a failing
  // test never leaves wrangler/workerd behind (they run in their own process groups).
  for (const g of running) await stopProcessGroup(g.child, g.exited, g.pids);
  await llm?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("npm start + npx nanobot, end to end", () => {
  it("should chat through the CLI, keep the session history across a restart, and stop cleanly on Ctrl-C", { timeout: 300_000 }, async () => {
    const token = `e2e-${Math.random().toString(36).slice(2, 10)}`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = {
      agents: { defaults: { provider: "custom", model: "test-model" } },
      providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
      api: { apiKey: API_KEY },
    };
    const cli = (args: string[]) => npxNanobot([...args, "--url", url, "--api-key", API_KEY]);

    let gateway = startGateway(port, persistDir, config);
    running.push(gateway);
    await waitForHealth(url, gateway);
    expect(gateway.pids.length).toBeGreaterThan(3); // npm → sh → start-gateway → wrangler → workerd

    const hello = await cli(["agent", "-m", `hello ${token}`]);
    expect(hello.stderr).toBe("");
    expect(hello.code).toBe(0);
    expect(hello.stdout).toContain(`echo: hello ${token}`);

    const session = `s-${token}`;
    expect((await cli(["agent", "--session", session, "-m", `first ${token}`])).code).toBe(0);
    const second = await cli(["agent", "--session", session, "-m", `second ${token}`]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`echo: second ${token}`);
    const seen = (await requestsMatching(llm, `second ${token}`)).at(-1);
    expect(JSON.stringify(seen?.body.messages)).toContain(`first ${token}`);

    await stopGateway(gateway);

    gateway = startGateway(port, persistDir, config);
    running.push(gateway);
    await waitForHealth(url, gateway);
    const third = await cli(["agent", "--session", session, "-m", `third ${token}`]);
    expect(third.code).toBe(0);
    const afterRestart = JSON.stringify((await requestsMatching(llm, `third ${token}`)).at(-1)?.body.messages);
    expect(afterRestart).toContain(`first ${token}`);
    expect(afterRestart).toContain(`second ${token}`);

    await stopGateway(gateway);
    const portFree = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(false)));
      socket.once("error", () => resolve(true));
    });
    expect(portFree).toBe(true);
  });
});
