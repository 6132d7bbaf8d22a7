import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import {
  approveSender,
  eventually,
  finalTexts,
  postSlack,
  postTelegram,
  runSession,
  sentTexts,
  slackCalls,
  slackChannelId,
  slackEvent,
  slackFault,
  slackTs,
  telegramCalls,
  telegramFault,
  telegramUpdate,
  uniqueId,
} from "../support/channel-script.ts";

/** The delivery retry row of a session: when the alarm will try again. */
const retryDue = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT due_at FROM schedule WHERE key = 'delivery-retry'").toArray()[0]?.due_at as number | undefined);

/** Statuses of the reply's HTML sends and edits to a chat (a streamed preview is plain text). */
const htmlCalls = async (chat: number) => (await telegramCalls(chat)).filter((c) => c.params.parse_mode === "HTML").map((c) => c.status);

/** Moves the delivery retry to now, as if its time had come. */
const retryNow = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), async (_i, state) => {
    state.storage.sql.exec("UPDATE schedule SET due_at = ? WHERE key = 'delivery-retry'", Date.now() - 1);
    await state.storage.setAlarm(Date.now());
  });

describe("faults: platform rate limits and outages", () => {
  it("should wait out Telegram's retry_after longer than the inline wait and then deliver once", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("flood45");
    // Longer than the 30 s a delivery waits inline: the session's retry alarm must honour it. The reply goes out
    // as HTML, by a send or (after a streamed preview) an edit: whichever it is meets the limit.
    for (const method of ["sendMessage", "editMessageText"]) await telegramFault({ method, chat: String(chat), count: 1, status: 429, retryAfter: 45, parseMode: "HTML" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `flood ${token}` }));
    const started = Date.now();
    await runSession(key);
    expect(await retryDue(key)).toBeGreaterThanOrEqual(started + 45_000);
    await retryNow(key);
    await runSession(key);
    await eventually(async () => (await htmlCalls(chat)).includes(200));
    await runSession(key);
    expect(await finalTexts(chat)).toEqual([`echo: flood ${token}`]);
    expect(await htmlCalls(chat)).toEqual([429, 200]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should honour Slack's Retry-After beyond the inline wait and then post once", async () => {
    const channel = slackChannelId("D");
    const key = `slack:${channel}`;
    const token = uniqueToken("slack45");
    await slackFault({ method: "chat.postMessage", chat: channel, count: 1, status: 429, retryAfter: 45 });
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `limit ${token}`, ts: slackTs() }));
    const started = Date.now();
    await runSession(key);
    expect(await retryDue(key)).toBeGreaterThanOrEqual(started + 45_000);
    await retryNow(key);
    await runSession(key);
    const posted = async () => (await slackCalls(channel, "chat.postMessage")).filter((c) => c.status === 200).map((c) => String(c.params.text));
    await eventually(async () => (await posted()).length > 0);
    await runSession(key);
    expect(await posted()).toEqual([`echo: limit ${token}`]);
  });

  it("should keep a reply through a Telegram outage (5xx on every try) and deliver it once when the API is back", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("outage");
    for (const method of ["sendMessage", "editMessageText"]) await telegramFault({ method, chat: String(chat), count: 3, status: 502, description: "Bad Gateway", parseMode: "HTML" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `outage ${token}` }));
    await runSession(key);
    for (let i = 0; i < 3; i++) {
      await retryNow(key);
      await runSession(key);
    }
    await eventually(async () => (await htmlCalls(chat)).includes(200));
    expect(await finalTexts(chat)).toEqual([`echo: outage ${token}`]);
    expect(await htmlCalls(chat)).toEqual([502, 502, 502, 200]);
    expect(await llmRequests(token)).toHaveLength(1);
  });
});

describe("faults: a redelivery storm", () => {
  it("should store and answer one Telegram update delivered 50 times at once exactly once", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("storm");
    const update = telegramUpdate({ chatId: chat, text: `storm ${token}` });
    const answers = await Promise.all(Array.from({ length: 50 }, () => postTelegram(update)));
    // Every copy is acknowledged (Telegram would otherwise keep redelivering).
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    await runSession(key);
    await eventually(async () => (await sentTexts(chat)).length > 0);
    await Promise.all(Array.from({ length: 50 }, () => postTelegram(update)));
    await runSession(key);
    expect(await sentTexts(chat)).toEqual([`echo: storm ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
    const rows = await runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n);
    expect(rows).toBe(1);
  });

  it("should answer one Slack event delivered 50 times at once (with retry headers) exactly once", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("slackstorm");
    const body = slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `storm ${token}`, ts: slackTs() });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postSlack(body, i ? { headers: { "x-slack-retry-num": String(i), "x-slack-retry-reason": "http_timeout" } } : {})));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    await runSession(`slack:${channel}`);
    const posted = async () => (await slackCalls(channel, "chat.postMessage")).map((c) => String(c.params.text));
    await eventually(async () => (await posted()).length > 0);
    await runSession(`slack:${channel}`);
    expect(await posted()).toEqual([`echo: storm ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });
});
