/**
 * End to end, as a user runs it: a project folder with its own nanobot.config.json and .dev.vars, the real
 * `npm start` (wrangler dev, local D1 migrations, the local sandbox runner), then `npx nanobot doctor` in that
 * folder. One secret is missing from .dev.vars (so every other route answers 500) and the provider's apiBase
 * points at a port nothing listens on: doctor must name both, with fixes, and still check the rest.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/net-wait.ts";
import { descendants, isAlive } from "../support/process-tree.ts";
import { cleanEnv, runCli } from "../support/run-cli.ts";
import { createTempProject, type TempProject } from "../support/temp-project.ts";

const API_KEY = "doctor-e2e-api-key-1c2d";
const PROVIDER_KEY = "sk-doctor-e2e-provider-3e4f";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let project: TempProject;
let url = "";
let stop: () => Promise<void> = async () => {};
let deadPort = 0;

beforeAll(async () => {
  project = createTempProject("nanobot-doctor-e2e-");
  deadPort = await freePort();
  const config = {
    agents: { defaults: { provider: "custom", model: "e2e-model" } },
    providers: { custom: { apiKey: "${CUSTOM_API_KEY}", apiBase: `http://127.0.0.1:${deadPort}/v1` } },
    api: { apiKey: "${NANOBOT_API_KEY}" },
    tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } },
  };
  writeFileSync(project.file("nanobot.config.json"), JSON.stringify(config, null, 2));
  writeFileSync(project.file(".dev.vars"), `NANOBOT_API_KEY=${API_KEY}\nCUSTOM_API_KEY=${PROVIDER_KEY}\n`);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const child = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", project.file(".state")], {
    cwd: project.dir,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so stop() reaches wrangler, workerd and the runner
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  let pids: number[] = [];
  stop = async () => {
    try {
      process.kill(-child.pid!, "SIGINT");
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(15_000)]);
    for (const pid of [child.pid!, ...pids].filter(isAlive)) process.kill(pid, "SIGKILL");
  };
  // The config is invalid (BRAVE_API_KEY is missing), so /health answers 503: any answer means it is up.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (await fetch(`${url}/health`).then(() => true, () => false)) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the gateway did not start:\n${output}`);
    await sleep(250);
  }
  pids = descendants(child.pid!);
}, 150_000);

afterAll(async () => {
  await stop();
  project?.remove();
});

describe("npx nanobot doctor against npm start", () => {
  it("should name the missing secret and the unreachable provider with their fixes, exit 1, and print no secret", async () => {
    const result = await runCli(["doctor"], { cwd: project.dir, env: cleanEnv({ NANOBOT_URL: url }) });
    const out = result.stdout;
    expect(result.code, out + result.stderr).toBe(1);
    expect(out).toContain("FAIL  secrets: BRAVE_API_KEY is not set in .dev.vars (used by tools.web.search.apiKey) — fix: add BRAVE_API_KEY=… to .dev.vars");
    expect(out).toContain(`FAIL  gateway: ${url}/health answered 503: tools.web.search.apiKey: environment variable 'BRAVE_API_KEY' is not set`);
    expect(out).toContain(`FAIL  provider: custom (model e2e-model): http://127.0.0.1:${deadPort} refused the connection (nothing listens there) — fix: check providers.custom.apiBase`);
    expect(out).toMatch(/^ok {4}migrations: all \d+ applied/m);
    expect(out).toMatch(/^(ok {2}|warn) {2}sandbox: runner up, isolation /m);
    for (const secret of [API_KEY, PROVIDER_KEY]) expect(out).not.toContain(secret);
  });
});
