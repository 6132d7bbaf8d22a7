/**
 * End to end through `npm start` (wrangler dev) with a config of its own: progress switched off
 * (channels.sendProgress / sendToolHints / showReasoning = false) and agents.defaults.unifiedSession on. A
 * Telegram DM whose turn runs a tool gets no status message; `npx nanobot agent -m` and a WebUI chat then
 * continue the same conversation (the model sees what was said on Telegram), and the WebUI gets no reasoning.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { runCli } from "../support/run-cli.ts";
import type { RunningServer } from "../support/stand-in-http.ts";
import { startStandInLlm, type ScriptStep, type StandInLlm } from "../support/stand-in-llm.ts";
import { startStandInTelegram, type TelegramCall } from "../support/stand-in-telegram.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const token = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

let llm: StandInLlm;
let telegram: RunningServer;
let gateway: GatewayProcess;
let persistDir: string;

async function until<T>(what: string, check: () => Promise<T | null | false | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => null);
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`${what}: not seen in ${timeoutMs} ms. Output:\n${gateway.output()}`);
}

const script = (match: string, steps: ScriptStep[]) => fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
const seenByModel = async (match: string) => JSON.stringify(((await (await fetch(`${llm.url}/__requests?match=${encodeURIComponent(match)}`)).json()) as Array<{ body: { messages: unknown } }>).at(-1)?.body.messages ?? "");
const calls = async (chat: number): Promise<TelegramCall[]> => (await fetch(`${telegram.url}/__calls?chat=${chat}`)).json() as Promise<TelegramCall[]>;

beforeAll(async () => {
  [llm, telegram] = await Promise.all([startStandInLlm(), startStandInTelegram()]);
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-progress-e2e-"));
  gateway = await startGatewayProcess(persistDir, {
    agents: { defaults: { provider: "custom", model: "test-model", unifiedSession: true } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: "e2e-key" },
    channels: {
      sendProgress: false,
      sendToolHints: false,
      showReasoning: false,
      telegram: { enabled: true, token: "123456:e2e-progress", webhookSecretToken: "tg-secret", allowFrom: ["42"], apiRoot: telegram.url, mode: "webhook" },
    },
  });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([llm?.close(), telegram?.close()]);
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("progress off and unifiedSession on, under npm start", () => {
  const fact = token("locker");

  it("should answer a Telegram turn that runs a tool without any status message", { timeout: 60_000 }, async () => {
    const told = token("tell");
    await script(told, [
      { reasoning: "Where do I keep notes?", content: "Let me check", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
      { delayMs: 2000, content: `noted ${told}` },
    ]);
    const update = { update_id: 9001, message: { message_id: 5, date: Math.floor(Date.now() / 1000), chat: { id: 42, type: "private", first_name: "T" }, from: { id: 42, is_bot: false, first_name: "T" }, text: `my locker code is ${fact} ${told}` } };
    const res = await fetch(`${gateway.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(update) });
    expect(res.status).toBe(200);
    const all = await until("the answer on Telegram", async () => {
      const c = await calls(42);
      return c.some((x) => x.status === 200 && String(x.params.text ?? "").includes(`noted ${told}`)) && c;
    });
    expect(all.filter((c) => String(c.params.text ?? "").includes("🔧") || String(c.params.text ?? "").includes("💭"))).toEqual([]);
    expect(all.filter((c) => c.method === "deleteMessage")).toEqual([]);
  });

  it("should continue the same conversation from the CLI", { timeout: 60_000 }, async () => {
    const asked = token("cli");
    const result = await runCli(["agent", "-m", `what is my locker code? ${asked}`, "--url", gateway.url, "--api-key", "e2e-key"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`echo: what is my locker code? ${asked}`);
    expect(await seenByModel(asked)).toContain(`my locker code is ${fact}`);
  });

  it("should continue it in the WebUI too, without reasoning events", { timeout: 60_000 }, async () => {
    const asked = token("webui");
    await script(asked, [{ reasoning: "private thoughts", content: `webui answer ${asked}` }]);
    const tokenRes = await fetch(`${gateway.url}/webui/token?client_id=e2eclient`, { headers: { authorization: "Bearer e2e-key" } });
    const { token: wsToken } = (await tokenRes.json()) as { token: string };
    const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/ws?client_id=e2eclient&token=${wsToken}`);
    const events: Array<Record<string, any>> = [];
    ws.addEventListener("message", (m) => m.data !== "pong" && events.push(JSON.parse(String(m.data))));
    const ready = await until("ready", async () => events.find((e) => e.event === "ready"));
    ws.send(JSON.stringify({ type: "message", chat_id: ready.chat_id, content: `and the code? ${asked}` }));
    await until("turn_end", async () => events.some((e) => e.event === "turn_end"));
    ws.close();
    expect(events.filter((e) => e.event === "reasoning_delta")).toEqual([]);
    expect(await seenByModel(asked)).toContain(`my locker code is ${fact}`);
  });
});
