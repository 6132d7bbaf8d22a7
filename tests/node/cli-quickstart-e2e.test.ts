/**
 * The README's Quick start on a fresh copy of the project, in its order: `npx nanobot onboard`, `npm start`,
 * `npx nanobot agent -m hello`, with the provider pointed at the stand-in LLM. The CLI finds the API key in
 * the .dev.vars onboard wrote (nothing exported), and the real Worker accepts the config onboard wrote.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/net-wait.ts";
import { descendants, isAlive } from "../support/process-tree.ts";
import { cleanEnv, runCli } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import { createTempProject, type TempProject } from "../support/temp-project.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let llm: StandInLlm;
let project: TempProject;
let state: string;
let gateway: ChildProcess | undefined;
let pids: number[] = [];
let output = "";

beforeAll(async () => {
  llm = await startStandInLlm();
  project = createTempProject("nanobot-quickstart-");
  state = mkdtempSync(path.join(os.tmpdir(), "nanobot-quickstart-state-"));
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null && gateway.signalCode === null) {
    const exited = new Promise((r) => gateway!.once("exit", r));
    try {
      process.kill(-gateway.pid!, "SIGINT"); // Ctrl-C to the gateway's own process group
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(15_000)]);
  }
  for (const pid of [gateway?.pid ?? 0, ...pids].filter((p) => p && isAlive(p))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await llm?.close();
  project?.remove();
  rmSync(state, { recursive: true, force: true });
});

describe("Quick start: onboard, npm start, agent -m hello", () => {
  it("should answer the first message with no export and no restart", { timeout: 240_000 }, async () => {
    const onboard = await runCli(["onboard", "--yes", "--provider", "custom", "--model", "test-model", "--api-base", `${llm.url}/v1`], {
      cwd: project.dir,
      env: cleanEnv(),
      stdin: "",
    });
    expect(onboard.stderr).toBe("");
    expect(onboard.code).toBe(0);

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    gateway = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", state], {
      cwd: project.dir,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    gateway.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    gateway.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 180_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline && gateway.exitCode === null) {
      healthy = await fetch(`${url}/health`).then((r) => r.status === 200, () => false);
      if (!healthy) await sleep(250);
    }
    expect(healthy, `gateway never became healthy. Output:\n${output}`).toBe(true);
    pids = descendants(gateway.pid!);

    // Run inside the project folder: the key comes from .dev.vars, nothing is exported.
    const agent = await runCli(["agent", "-m", "hello"], { cwd: project.dir, env: cleanEnv({ NANOBOT_URL: url }) });
    expect(agent.stderr).toBe("");
    expect(agent.code).toBe(0);
    expect(agent.stdout).toBe("echo: hello\n");
  });
});
