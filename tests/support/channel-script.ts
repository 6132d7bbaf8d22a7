/** Test-side helpers for channel tests: real-shaped platform payloads in, stand-in recordings out. */
import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test";
import { slackSignature } from "../../src/channels/slack/verify-signature.ts";
import { PairingStore } from "../../src/pairing/pairing-store.ts";
import type { Fault } from "./stand-in-http.ts";
import type { SlackCall } from "./stand-in-slack.ts";
import type { TelegramCall } from "./stand-in-telegram.ts";
import { standIns } from "./llm-script.ts";

export type { SlackCall, TelegramCall };

/** Ids no other test uses (stand-ins are shared by all test files). */
export const uniqueId = () => 1_000_000 + Math.floor(Math.random() * 8_000_000_000);

export async function approveSender(channel: string, senderId: string): Promise<void> {
  await new PairingStore(env.DB).approveSender(channel, senderId, "test");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (stand-in recordings arrive over HTTP, a moment after the send). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

/** Polls a recording until it has at least `min` entries. */
export function atLeast<T>(min: number, list: () => Promise<T[]>, timeoutMs?: number): Promise<T[]> {
  return eventually(async () => {
    const items = await list();
    return items.length >= min && items;
  }, timeoutMs);
}

/**
 * Resets the session object (ctx.abort()): the instance and the work it had in flight are dropped, its SQLite
 * stays. Module-level state of this shared test runtime survives an abort, which a real reset (deploy,
 * eviction) does not keep: tests that need that check the inbox row, and tests/node/delivery-restart-e2e.test.ts
 * restarts the whole gateway.
 */
export async function resetSession(key: string): Promise<void> {
  await runInDurableObject(env.SESSIONS.getByName(key), (_instance, state) => {
    try {
      state.abort("test: reset");
    } catch {
      // abort() throws into its caller as well
    }
  }).catch(() => undefined);
}

/** Runs the session's alarm (the turn) deterministically. */
export async function runSession(sessionKey: string): Promise<boolean> {
  return runDurableObjectAlarm(env.SESSIONS.getByName(sessionKey));
}

// ── Telegram ──────────────────────────────────────────────────────────────────────────────────────────

export interface UpdateOptions {
  updateId?: number;
  chatId: number;
  fromId?: number;
  username?: string;
  text?: string;
  chatType?: "private" | "group" | "supergroup";
  entities?: Array<Record<string, unknown>>;
  threadId?: number;
  replyToBot?: boolean;
  photoFileId?: string;
  caption?: string;
}

export function telegramUpdate(o: UpdateOptions): Record<string, unknown> {
  const fromId = o.fromId ?? o.chatId;
  const chatType = o.chatType ?? (o.chatId > 0 ? "private" : "supergroup");
  const message: Record<string, unknown> = {
    message_id: Math.floor(Math.random() * 100_000),
    date: Math.floor(Date.now() / 1000),
    from: { id: fromId, is_bot: false, first_name: "Test", ...(o.username ? { username: o.username } : {}), language_code: "en" },
    chat: chatType === "private" ? { id: o.chatId, type: "private", first_name: "Test" } : { id: o.chatId, type: chatType, title: "Test group", ...(o.threadId ? { is_forum: true } : {}) },
  };
  if (o.text !== undefined) message.text = o.text;
  if (o.entities) message.entities = o.entities;
  if (o.threadId) Object.assign(message, { message_thread_id: o.threadId, is_topic_message: true });
  if (o.replyToBot) message.reply_to_message = { message_id: 7, date: 0, chat: message.chat, from: { id: 123456, is_bot: true, first_name: "Nano", username: "nano_test_bot" }, text: "earlier answer" };
  if (o.photoFileId) {
    message.photo = [
      { file_id: `${o.photoFileId}-small`, file_unique_id: "s", width: 90, height: 90, file_size: 100 },
      { file_id: o.photoFileId, file_unique_id: "l", width: 800, height: 800, file_size: 1000 },
    ];
    if (o.caption) message.caption = o.caption;
  }
  return { update_id: o.updateId ?? uniqueId(), message };
}

export function postTelegram(update: unknown, secret: string | null = "tg-secret"): Promise<Response> {
  return SELF.fetch("https://gateway.test/webhooks/telegram", {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret !== null ? { "x-telegram-bot-api-secret-token": secret } : {}) },
    body: JSON.stringify(update),
  });
}

export async function telegramCalls(chat: number | string, method?: string): Promise<TelegramCall[]> {
  const q = new URLSearchParams({ chat: String(chat), ...(method ? { method } : {}) });
  return (await fetch(`${standIns().telegram}/__calls?${q}`)).json();
}

export async function allTelegramCalls(method: string): Promise<TelegramCall[]> {
  return (await fetch(`${standIns().telegram}/__calls?method=${method}`)).json();
}

export async function telegramFault(fault: Fault): Promise<void> {
  await fetch(`${standIns().telegram}/__faults`, { method: "POST", body: JSON.stringify(fault) });
}

export async function telegramFile(fileId: string, path: string, bytes: Uint8Array): Promise<void> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${standIns().telegram}/__files`, { method: "POST", body: JSON.stringify({ fileId, path, base64: btoa(binary) }) });
}

/** Successful sendMessage calls to a chat, in order. */
export async function sentTexts(chat: number | string): Promise<string[]> {
  return (await telegramCalls(chat, "sendMessage")).filter((c) => c.status === 200).map((c) => String(c.params.text));
}

/** What the chat shows in the end: each message the bot sent, in order, with its last (edited) text. */
export async function finalTexts(chat: number | string): Promise<string[]> {
  const byId = new Map<number, string>();
  for (const c of await telegramCalls(chat)) {
    if (c.status !== 200 || c.messageId === undefined) continue;
    byId.set(c.messageId, String(c.params.text));
  }
  return [...byId.values()];
}

// ── Slack ─────────────────────────────────────────────────────────────────────────────────────────────

export const slackChannelId = (prefix: "C" | "D" = "C") => `${prefix}${uniqueId().toString(36).toUpperCase()}`;

export function slackEvent(event: Record<string, unknown>, eventId = `Ev${uniqueId()}`): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: "T1",
    api_app_id: "A1",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: "T1", user_id: "UBOT", is_bot: true }],
    event: { event_ts: event.ts, ...event },
  };
}

export const slackTs = () => `${Math.floor(Date.now() / 1000)}.${String(uniqueId()).slice(-6)}`;

export async function postSlack(body: unknown, opts: { secret?: string; timestamp?: number; headers?: Record<string, string>; signature?: string } = {}): Promise<Response> {
  const raw = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? (await slackSignature(opts.secret ?? "slack-secret", timestamp, raw));
  return SELF.fetch("https://gateway.test/webhooks/slack", {
    method: "POST",
    headers: { "content-type": "application/json", "x-slack-request-timestamp": timestamp, "x-slack-signature": signature, ...opts.headers },
    body: raw,
  });
}

export async function slackCalls(channel: string, method?: string): Promise<SlackCall[]> {
  const q = new URLSearchParams({ channel, ...(method ? { method } : {}) });
  return (await fetch(`${standIns().slack}/__calls?${q}`)).json();
}

export async function slackFault(fault: Fault): Promise<void> {
  await fetch(`${standIns().slack}/__faults`, { method: "POST", body: JSON.stringify(fault) });
}
