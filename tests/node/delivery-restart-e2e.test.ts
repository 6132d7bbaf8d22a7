/**
 * Exactly-once delivery across a real restart: `npm start` (wrangler dev, workerd) answers a Telegram DM with a
 * 3-part reply; part 2's send is left hanging by the stand-in Bot API and the gateway is stopped meanwhile, so
 * everything the session held in memory is gone and only its SQLite (--persist-to) survives. After the restart
 * the user writes again: the session resumes the reply at part 2, and the chat shows each part exactly once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markedParts } from "../support/long-reply.ts";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import type { RunningServer } from "../support/stand-in-http.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";
import { startStandInTelegram, type TelegramCall } from "../support/stand-in-telegram.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CHAT = 4242;

let llm: StandInLlm;
let telegram: RunningServer;
let gateway: GatewayProcess | undefined;
let persistDir: string;

const config = () => ({
  agents: { defaults: { provider: "custom", model: "test-model" } },
  providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
  api: { apiKey: "e2e-key" },
  channels: {
    // No streamed preview: the parts are plain sendMessage calls.
    telegram: { enabled: true, token: "123456:e2e-restart", webhookSecretToken: "tg-secret", allowFrom: [String(CHAT)], apiRoot: telegram.url, mode: "webhook", streaming: false },
  },
});

async function until<T>(what: string, check: () => Promise<T | null | false | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`${what}: not seen in ${timeoutMs} ms. Output:\n${gateway?.output()}`);
}

const sends = async (): Promise<TelegramCall[]> => (await fetch(`${telegram.url}/__calls?chat=${CHAT}&method=sendMessage`)).json() as Promise<TelegramCall[]>;

function say(text: string, updateId: number): Promise<Response> {
  const update = { update_id: updateId, message: { message_id: updateId, date: Math.floor(Date.now() / 1000), chat: { id: CHAT, type: "private", first_name: "T" }, from: { id: CHAT, is_bot: false, first_name: "T" }, text } };
  return fetch(`${gateway!.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(update) });
}

const reply = markedParts(["PART-A", "PART-B", "PART-C"], 4000);

beforeAll(async () => {
  [llm, telegram] = await Promise.all([startStandInLlm(), startStandInTelegram()]);
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-restart-e2e-"));
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([llm?.close(), telegram?.close()]);
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("a restart in the middle of a long reply", () => {
  it("should resume at the next part and send each part exactly once", { timeout: 240_000 }, async () => {
    await fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match: "three parts please", steps: [{ content: reply.text }] }) });
    await fetch(`${telegram.url}/__faults`, { method: "POST", body: JSON.stringify({ method: "sendMessage", chat: String(CHAT), count: 1, hang: true, textIncludes: "PART-B line 000" }) });
    gateway = await startGatewayProcess(persistDir, config());
    expect((await say("three parts please", 1)).status).toBe(200);
    await until("part 2 in flight", async () => (await sends()).some((c) => c.status === 0));
    await gateway.stop();

    gateway = await startGatewayProcess(persistDir, config());
    expect((await say("still there?", 2)).status).toBe(200);
    const delivered = await until("the rest of the reply and the next answer", async () => {
      const ok = (await sends()).filter((c) => c.status === 200).map((c) => String(c.params.text));
      return ok.some((t) => t.includes("echo: still there?")) && ok;
    });
    expect(delivered).toEqual([...reply.parts, "echo: still there?"]);
  });
});
