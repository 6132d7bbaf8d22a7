import { createExecutionContext, env, runInDurableObject, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { approveSender, postTelegram, runSession, sentTexts, telegramFault, telegramUpdate, uniqueId, eventually } from "../support/channel-script.ts";
import { standIns, uniqueToken } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

const LOCAL_SECRET = "local-poll-secret";

/** A bot of its own per test: the stand-in keeps updates, webhook and our D1 offset per bot id (the token's prefix). */
const newBot = () => {
  const id = 7_000_000 + Math.floor(Math.random() * 90_000_000);
  return { id: String(id), token: `${id}:poll-test` };
};

function configFor(token: string, telegram: Record<string, unknown> = {}) {
  const base = testConfig(standIns());
  return { ...base, channels: { ...base.channels, telegram: { ...base.channels.telegram, token, ...telegram } } };
}

/** One call of the local poll route, as scripts/lib/telegram-poller.ts makes it under `npm start`. */
async function poll(token: string, opts: { telegram?: Record<string, unknown>; timeout?: number; secret?: string } = {}): Promise<{ status: number; body: any }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://gw/local/telegram/poll?timeout=${opts.timeout ?? 0}`, { method: "POST", headers: { authorization: `Bearer ${opts.secret ?? LOCAL_SECRET}` } }),
    { ...env, NANOBOT_CONFIG: JSON.stringify(configFor(token, opts.telegram)), NANOBOT_LOCAL_POLL_SECRET: LOCAL_SECRET },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: await res.json() };
}

/** Queues an incoming update; the stand-in numbers it (ascending, as Telegram does) unless `keepId`. */
async function queueUpdate(token: string, update: Record<string, unknown>, keepId = false): Promise<number> {
  const { update_id, ...rest } = update;
  const res = await fetch(`${standIns().telegram}/__updates`, { method: "POST", body: JSON.stringify({ token, update: keepId ? update : rest }) });
  return ((await res.json()) as { update_id: number }).update_id;
}

const unconfirmed = async (token: string): Promise<number[]> =>
  ((await (await fetch(`${standIns().telegram}/__updates?token=${encodeURIComponent(token)}`)).json()) as Array<{ update_id: number }>).map((u) => u.update_id);

const storedOffset = async (botId: string) =>
  (await env.DB.prepare("SELECT next_offset FROM telegram_poll_offsets WHERE bot_id = ?1").bind(botId).first<{ next_offset: number }>())?.next_offset ?? null;

const inboxCount = (key: string) => runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

const botApi = (token: string, method: string, params: Record<string, unknown> = {}) =>
  fetch(`${standIns().telegram}/bot${token}/${method}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) }).then((r) => r.json() as Promise<any>);

const PAIRING_CODE = /\b[A-Z0-9]{4}-[A-Z0-9]{4}\b/;

describe("Telegram long polling under npm start (POST /local/telegram/poll)", () => {
  it("should not exist without the per-start secret variable, and refuse a wrong secret", async () => {
    const res = await SELF.fetch("https://gw/local/telegram/poll", { method: "POST", headers: { authorization: `Bearer ${LOCAL_SECRET}` } });
    expect(res.status).toBe(404);
    const bot = newBot();
    expect((await poll(bot.token, { secret: "guess" })).status).toBe(401);
  });

  it("should store a polled DM from an allowed user like a webhook delivery, then advance the offset past it", async () => {
    const bot = newBot();
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgpoll");
    const updateId = await queueUpdate(bot.token, telegramUpdate({ chatId: chat, text: `polled ${token}` }));
    const { status, body } = await poll(bot.token);
    expect(status).toBe(200);
    expect(body).toEqual({ state: "polling", mode: "auto", bot: "@nano_test_bot", received: 1, stored: 1, offset: updateId + 1 });
    expect(await storedOffset(bot.id)).toBe(updateId + 1);
    await runSession(`telegram:${chat}`);
    expect(await eventually(async () => (await sentTexts(chat)).length && sentTexts(chat))).toEqual([`echo: polled ${token}`]);
    // The next poll confirms it to Telegram (offset = update_id + 1), which then forgets it.
    expect((await poll(bot.token)).body.received).toBe(0);
    expect(await unconfirmed(bot.token)).toEqual([]);
  });

  it("should treat the same update arriving by webhook and by polling as one message (dedupe by update_id)", async () => {
    const bot = newBot();
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const update = telegramUpdate({ chatId: chat, text: "twice" });
    expect((await postTelegram(update)).status).toBe(200);
    await queueUpdate(bot.token, update, true);
    expect((await poll(bot.token)).body).toMatchObject({ received: 1, stored: 0 });
    expect(await inboxCount(`telegram:${chat}`)).toBe(1);
  });

  it("should give a stranger a pairing code once, even when the update is polled again", async () => {
    const bot = newBot();
    const chat = uniqueId();
    const update = telegramUpdate({ chatId: chat, text: "hello?" });
    const updateId = await queueUpdate(bot.token, update);
    await poll(bot.token);
    // As after a crash between answering and writing the offset: Telegram still holds the unconfirmed update.
    await env.DB.prepare("DELETE FROM telegram_poll_offsets WHERE bot_id = ?1").bind(bot.id).run();
    expect((await poll(bot.token)).body).toMatchObject({ received: 1, offset: updateId + 1 });
    const texts = await sentTexts(chat);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(PAIRING_CODE);
    expect(await inboxCount(`telegram:${chat}`)).toBe(0);
  });

  it("should advance the offset only past updates that were handled: a failure leaves the update for the next poll", async () => {
    const bot = newBot();
    const friend = uniqueId();
    const stranger = uniqueId();
    await approveSender("telegram", String(friend));
    const first = await queueUpdate(bot.token, telegramUpdate({ chatId: friend, text: "first" }));
    const second = await queueUpdate(bot.token, telegramUpdate({ chatId: stranger, text: "second" }));
    // The stranger's pairing reply fails once: that update is not handled, so it must not be confirmed.
    await telegramFault({ method: "sendMessage", chat: String(stranger), count: 1, status: 500, description: "Internal Server Error" });
    const failed = await poll(bot.token);
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ state: "error", error: expect.stringContaining(`update ${second} was not stored`) });
    expect(await storedOffset(bot.id)).toBe(first + 1);
    expect(await inboxCount(`telegram:${friend}`)).toBe(1);
    const retried = await poll(bot.token);
    expect(retried.body).toMatchObject({ state: "polling", received: 1, offset: second + 1 });
    expect(await storedOffset(bot.id)).toBe(second + 1);
    const texts = await sentTexts(stranger);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(PAIRING_CODE);
    expect(await inboxCount(`telegram:${friend}`)).toBe(1);
  });

  it("should hold the long poll until an update arrives", async () => {
    const bot = newBot();
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const started = Date.now();
    const pending = poll(bot.token, { timeout: 10 });
    await new Promise((r) => setTimeout(r, 400));
    await queueUpdate(bot.token, telegramUpdate({ chatId: chat, text: "late" }));
    const { body } = await pending;
    expect(body).toMatchObject({ state: "polling", received: 1, stored: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("should not poll in webhook mode or when Telegram is disabled", async () => {
    const bot = newBot();
    await queueUpdate(bot.token, telegramUpdate({ chatId: uniqueId(), text: "unseen" }));
    expect((await poll(bot.token, { telegram: { mode: "webhook" } })).body).toEqual({ state: "webhook", mode: "webhook" });
    expect((await poll(bot.token, { telegram: { enabled: false } })).body).toEqual({ state: "disabled", reason: "channels.telegram.enabled is false" });
    expect(await unconfirmed(bot.token)).toHaveLength(1);
    expect(await storedOffset(bot.id)).toBeNull();
  });

  it("should report a webhook that is set (409) and leave it in place", async () => {
    const bot = newBot();
    await botApi(bot.token, "setWebhook", { url: "https://bot.example.com/webhooks/telegram" });
    const { status, body } = await poll(bot.token);
    expect(status).toBe(409);
    expect(body).toMatchObject({ state: "conflict", bot: "@nano_test_bot", error: expect.stringContaining("webhook is active") });
    expect((await botApi(bot.token, "getWebhookInfo")).result.url).toBe("https://bot.example.com/webhooks/telegram");
  });

  it("should refuse to register a webhook in polling mode, saying why", async () => {
    const ctx = createExecutionContext();
    const config = configFor(newBot().token, { mode: "polling" });
    const res = await worker.fetch(
      new Request("https://gw/admin/channels/telegram/webhook", { method: "POST", headers: { authorization: "Bearer key-123" }, body: "{}" }),
      { ...env, NANOBOT_CONFIG: JSON.stringify(config) },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toContain('channels.telegram.mode is "polling"');
  });
});
