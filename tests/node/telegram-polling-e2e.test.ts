/**
 * End to end, as a new user meets it: a project whose nanobot.config.json enables Telegram with the token
 * from `${TELEGRAM_BOT_TOKEN}`, the real `npm start` (wrangler dev, workerd), a stand-in LLM and a stand-in
 * Bot API serving getUpdates. No .dev.vars yet → /health names the variable; writing .dev.vars reloads the
 * gateway without anyone restarting it; then mode "auto" long-polls: a DM is answered once, a stranger gets a
 * pairing code, and after Ctrl-C and a restart with the same --persist-to nothing is answered again.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/net-wait.ts";
import { descendants, isAlive, stopProcessGroup } from "../support/process-tree.ts";
import { cleanEnv } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import type { RunningServer } from "../support/stand-in-http.ts";
import { startStandInTelegram, type TelegramCall } from "../support/stand-in-telegram.ts";
import { createTempProject, type TempProject } from "../support/temp-project.ts";

const BOT_TOKEN = "123456:e2e-polling";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Gateway {
  child: ChildProcess;
  pids: number[];
  output: () => string;
  exited: Promise<void>;
}

let project: TempProject;
let persistDir: string;
let llm: StandInLlm;
let telegram: RunningServer;
let port: number;
const running: Gateway[] = [];

function npmStart(): Gateway {
  const child = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", persistDir], { cwd: project.dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const gateway = { child, pids: [] as number[], output: () => output, exited: new Promise<void>((r) => child.on("exit", () => r())) };
  running.push(gateway);
  return gateway;
}

async function until<T>(what: string, gateway: Gateway, check: () => Promise<T | null | false | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value) return value;
    await sleep(250);
  }
  throw new Error(`${what}: not seen in ${timeoutMs} ms. Output:\n${gateway.output()}`);
}

const health = async () => {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: res.status, body: (await res.json()) as { status: string; error?: string } };
};

const calls = async (query: string): Promise<TelegramCall[]> => (await fetch(`${telegram.url}/__calls?${query}`)).json() as Promise<TelegramCall[]>;
const sent = async (chat: number) => (await calls(`chat=${chat}&method=sendMessage`)).filter((c) => c.status === 200).map((c) => String(c.params.text));

async function queueDm(chat: number, text: string): Promise<number> {
  const message = { message_id: Math.floor(Math.random() * 1e5), date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "private", first_name: "T" }, from: { id: chat, is_bot: false, first_name: "T" }, text };
  const res = await fetch(`${telegram.url}/__updates`, { method: "POST", body: JSON.stringify({ token: BOT_TOKEN, update: { message } }) });
  return ((await res.json()) as { update_id: number }).update_id;
}

/** Ctrl-C (SIGINT to the process group, as a terminal sends it): every process the gateway started must end. */
async function ctrlC(gateway: Gateway): Promise<void> {
  const record = () => (gateway.pids = [...new Set([...gateway.pids, ...descendants(gateway.child.pid!)])]);
  record();
  process.kill(-gateway.child.pid!, "SIGINT");
  // Recorded until it exits: a wrangler started by a restart in progress must be caught too.
  let exited = false;
  void gateway.exited.then(() => (exited = true));
  while (!exited) {
    record();
    await sleep(50);
  }
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && gateway.pids.some(isAlive)) await sleep(200);
  expect(gateway.pids.filter(isAlive), `left behind after Ctrl-C. Output:\n${gateway.output()}`).toEqual([]);
}

beforeAll(async () => {
  [llm, telegram, port] = await Promise.all([startStandInLlm(), startStandInTelegram(), freePort()]);
  project = createTempProject();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-tg-e2e-"));
  const config = {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: "e2e-key" },
    channels: { telegram: { enabled: true, token: "${TELEGRAM_BOT_TOKEN}", allowFrom: ["42"], apiRoot: telegram.url } },
  };
  writeFileSync(project.file("nanobot.config.json"), JSON.stringify(config, null, 2));
});

afterAll(async () => {
  for (const g of running) await stopProcessGroup(g.child, g.exited, g.pids);
  await Promise.all([llm?.close(), telegram?.close()]);
  project?.remove();
  rmSync(persistDir, { recursive: true, force: true });
});

describe("npm start: .dev.vars reload and Telegram long polling (mode auto)", () => {
  let lastUpdate = 0;

  it("should load a .dev.vars written while the gateway runs, without a manual restart", { timeout: 240_000 }, async () => {
    const gateway = npmStart();
    const before = await until("/health answering", gateway, async () => (await health()).status === 503 && health());
    expect(before.body.error).toContain("TELEGRAM_BOT_TOKEN");
    gateway.pids = descendants(gateway.child.pid!);

    writeFileSync(project.file(".dev.vars"), `TELEGRAM_BOT_TOKEN=${BOT_TOKEN}\n`);
    await until("/health 200 after writing .dev.vars", gateway, async () => (await health()).status === 200);
    expect(gateway.output()).toContain("[nanobot] .dev.vars changed: restarting wrangler dev to load it");
    await until("the polling line", gateway, async () => gateway.output().includes("[nanobot] telegram: polling getUpdates for @nano_test_bot (mode auto)"));
  });

  it("should answer a DM from an allowed user exactly once and send a stranger a pairing code", { timeout: 120_000 }, async () => {
    const gateway = running[0];
    await queueDm(42, "hello over polling");
    await until("the reply to chat 42", gateway, async () => (await sent(42)).length > 0);
    lastUpdate = await queueDm(777_001, "who are you?");
    const [pairing] = await until("the pairing reply", gateway, async () => (await sent(777_001)).length > 0 && sent(777_001));
    expect(pairing).toMatch(/\b[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
    await sleep(2_000);
    expect(await sent(42)).toEqual(["echo: hello over polling"]);
    expect(await sent(777_001)).toHaveLength(1);
    expect(gateway.output().match(/telegram: polling getUpdates/g)).toHaveLength(1);
    await ctrlC(gateway);
  });

  it("should not answer anything again after Ctrl-C and a restart with the same --persist-to", { timeout: 240_000 }, async () => {
    const seqBefore = Math.max(0, ...(await calls("method=getUpdates")).map((c) => c.seq));
    const gateway = npmStart();
    await until("/health 200", gateway, async () => (await health()).status === 200);
    // The first poll of the new process starts from the persisted offset: everything answered is confirmed.
    const first = await until("a getUpdates call", gateway, async () => (await calls("method=getUpdates")).find((c) => c.seq > seqBefore));
    expect(first.params.offset).toBe(lastUpdate + 1);
    await sleep(3_000);
    expect(await sent(42)).toEqual(["echo: hello over polling"]);
    expect(await sent(777_001)).toHaveLength(1);
    // Ctrl-C while a .dev.vars change restarts wrangler dev still leaves nothing behind.
    writeFileSync(project.file(".dev.vars"), `TELEGRAM_BOT_TOKEN=${BOT_TOKEN}\nOTHER=1\n`);
    await until("the restart line", gateway, async () => gateway.output().includes(".dev.vars changed"));
    await sleep(300);
    await ctrlC(gateway);
  });
});
