import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startStandInGateway, type StandInGateway } from "../support/stand-in-gateway.ts";
import { cleanEnv, runCli, startCli } from "../support/run-cli.ts";
import { makeProjectFolder } from "../support/project-folder.ts";

let gateway: StandInGateway | undefined;
const temps: string[] = [];
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempProject = (files: Record<string, string> = {}) => makeProjectFolder(temps, files, "nanobot-cli-");

/** A port nothing listens on: bind one, then release it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("npx nanobot agent -m", () => {
  it("should print the streamed reply, send session cli and the bearer key, and exit 0", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1" });
    const result = await runCli(["agent", "-m", "hello there", "--url", gateway.url, "--api-key", "k-1"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("reply to: hello there\n");
    const chat = gateway.requests.find((r) => r.path === "/v1/chat/completions");
    expect(chat?.authorization).toBe("Bearer k-1");
    expect(chat?.body).toMatchObject({ session_id: "cli", stream: true, messages: [{ role: "user", content: "hello there" }] });
  });

  it("should print the first streamed piece before the reply is complete", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1", reply: "first-part and the rest of it", chunkSize: 10, holdAfterFirstChunk: true });
    const run = startCli(["agent", "-m", "hi", "--url", gateway.url, "--api-key", "k-1"]);
    // The stand-in holds the stream after "first-part"; the CLI must already have printed it.
    await run.waitForStdout("first-part");
    gateway.release();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("first-part and the rest of it\n");
  });

  it("should use the session given with --session", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1" });
    const result = await runCli(["agent", "-m", "hi", "--session", "work-42", "--url", gateway.url, "--api-key", "k-1"]);
    expect(result.code).toBe(0);
    expect(gateway.requests.find((r) => r.path === "/v1/chat/completions")?.body?.session_id).toBe("work-42");
  });

  it("should say which key to set and exit non-zero on 401", async () => {
    gateway = await startStandInGateway({ apiKey: "right" });
    const result = await runCli(["agent", "-m", "hi", "--url", gateway.url, "--api-key", "wrong"]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("rejected the API key from --api-key (401)");
    expect(result.stderr).toContain("NANOBOT_API_KEY");
  });

  it("should say how to start the gateway and exit 1 when it is not running", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["agent", "-m", "hi"], { env: cleanEnv({ NANOBOT_URL: url, NANOBOT_API_KEY: "k" }) });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Error: Cannot reach the nanobot gateway at ${url}. Start it with \`npm start\` (or \`npx nanobot gateway\`).`,
    );
  });

  it("should report an error event in the stream and exit non-zero", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1", reply: "partial", streamError: "provider quota exceeded" });
    const result = await runCli(["agent", "-m", "hi", "--url", gateway.url, "--api-key", "k-1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("provider quota exceeded");
  });

  it("should prefer --url over NANOBOT_URL", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1" });
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["agent", "-m", "hi", "--url", gateway.url], { env: cleanEnv({ NANOBOT_URL: url, NANOBOT_API_KEY: "k-1" }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("reply to: hi\n");
  });
});

describe("API key resolution inside the project folder", () => {
  it("should take api.apiKey from nanobot.config.json with ${VAR} resolved from .dev.vars", async () => {
    gateway = await startStandInGateway({ apiKey: "from-dev-vars" });
    const dir = tempProject({
      "nanobot.config.json": JSON.stringify({ api: { apiKey: "${NANOBOT_API_KEY}" } }),
      ".dev.vars": '# local secrets\nNANOBOT_API_KEY="from-dev-vars"\nOTHER=x\n',
    });
    const sub = path.join(dir, "src");
    mkdirSync(sub);
    const result = await runCli(["agent", "-m", "hi"], { cwd: sub, env: cleanEnv({ NANOBOT_URL: gateway.url }) });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(gateway.requests.at(-1)?.authorization).toBe("Bearer from-dev-vars");
  });

  it("should let NANOBOT_API_KEY win over the project's files", async () => {
    gateway = await startStandInGateway({ apiKey: "from-env" });
    const dir = tempProject({ ".dev.vars": "NANOBOT_API_KEY=from-dev-vars\n" });
    const result = await runCli(["agent", "-m", "hi"], { cwd: dir, env: cleanEnv({ NANOBOT_URL: gateway.url, NANOBOT_API_KEY: "from-env" }) });
    expect(result.code).toBe(0);
  });

  it("should explain where keys come from when none is found and the gateway wants one", async () => {
    gateway = await startStandInGateway({ apiKey: "secret" });
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-cli-nokey-"));
    temps.push(dir);
    const result = await runCli(["agent", "-m", "hi"], { cwd: dir, env: cleanEnv({ NANOBOT_URL: gateway.url }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("none was found. Set NANOBOT_API_KEY, pass --api-key");
  });
});

describe("npx nanobot agent (interactive)", () => {
  it("should answer each line and leave on quit", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1" });
    const result = await runCli(["agent", "--url", gateway.url, "--api-key", "k-1"], { stdin: "one\ntwo\nquit\nthree\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("reply to: one\n");
    expect(result.stdout).toContain("reply to: two\n");
    expect(result.stdout).not.toContain("reply to: three");
  });

  it("should leave with exit code 0 at end of input (Ctrl-D)", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1" });
    const result = await runCli(["agent", "--session", "s1", "--url", gateway.url, "--api-key", "k-1"], { stdin: "only\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("reply to: only\n");
    expect(gateway.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body?.session_id)).toEqual(["s1"]);
  });
});

describe("npx nanobot status", () => {
  it("should show health, models and the session's /status reply", async () => {
    gateway = await startStandInGateway({ apiKey: "k-1", reply: "Model: test-model\nMessages: 4" });
    const result = await runCli(["status", "--url", gateway.url, "--api-key", "k-1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Gateway:  ${gateway.url}  ok`);
    expect(result.stdout).toContain("Models:   test-model");
    expect(result.stdout).toContain("Model: test-model\nMessages: 4");
    const chat = gateway.requests.find((r) => r.path === "/v1/chat/completions");
    expect(chat?.body).toMatchObject({ session_id: "cli", messages: [{ role: "user", content: "/status" }] });
  });
});
