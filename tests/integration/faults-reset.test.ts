import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DELAY_NOTICE_TEXT } from "../../durable-objects/session/delay-notice.ts";
import { markedParts } from "../support/long-reply.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import {
  approveSender,
  eventually,
  finalTexts,
  postSlack,
  postTelegram,
  resetSession,
  runSession,
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


const okTexts = async (chat: number) => (await telegramCalls(chat, "sendMessage")).filter((c) => c.status === 200).map((c) => String(c.params.text));

describe("faults: the session object reset mid-delivery and mid-turn", { timeout: 40_000 }, () => {
  it("should send each part of a 3-part Telegram reply exactly once when the object is reset after part 1", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("parts");
    const reply = markedParts(["PART-A", "PART-B", "PART-C"], 4000);
    await scriptLlm(token, [{ content: reply.text, chunkSize: 2_000 }]);
    // Part 2's send never gets an answer: the object is reset while it is in flight.
    await telegramFault({ method: "sendMessage", chat: String(chat), count: 1, status: 0, hang: true, textIncludes: "PART-B line 000" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `three parts ${token}` }));
    const firstRun = runSession(key).catch((err) => err);
    // A cold runtime's first model call can take seconds: wait generously for the turn to reach part 2.
    // A cold runtime's first model call can take seconds: wait generously for the turn to reach part 2.
    await eventually(async () => (await telegramCalls(chat, "sendMessage")).some((c) => c.status === 0), 20_000);
    await resetSession(key);
    await firstRun;
    await runSession(key);
    // What the chat shows (a streamed preview may have become part 1 by an edit): each part once, in order.
    expect(await eventually(async () => ((await finalTexts(chat)).length >= 3 ? finalTexts(chat) : null))).toEqual(reply.parts);
    await runSession(key);
    expect(await finalTexts(chat)).toEqual(reply.parts);
    expect(await okTexts(chat)).toHaveLength(3);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should post each part of a 3-part Slack reply exactly once when the object is reset after part 1", async () => {
    const channel = slackChannelId("D");
    const key = `slack:${channel}`;
    const token = uniqueToken("slackparts");
    const reply = markedParts(["SLACKA", "SLACKB", "SLACKC"], 39_000);
    await scriptLlm(token, [{ content: reply.text, chunkSize: 2_000 }]);
    await slackFault({ method: "chat.postMessage", chat: channel, count: 1, status: 0, hang: true, textIncludes: "SLACKB line 000" });
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `long ${token}`, ts: slackTs() }));
    const firstRun = runSession(key).catch((err) => err);
    await eventually(async () => (await slackCalls(channel, "chat.postMessage")).some((c) => c.status === 0), 20_000);
    await resetSession(key);
    await firstRun;
    await runSession(key);
    const posted = async () => (await slackCalls(channel, "chat.postMessage")).filter((c) => c.status === 200).map((c) => String(c.params.text));
    const delivered = await eventually(async () => ((await posted()).length >= 3 ? posted() : null));
    expect(delivered.map((t) => t.slice(0, 6))).toEqual(["SLACKA", "SLACKB", "SLACKC"]);
    expect(delivered.map((t) => t.length)).toEqual(reply.parts.map((p) => p.length));
  });

  it("should edit the streamed preview, not send a second one, when the turn is resumed after a reset, and say the answer is late", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("preview");
    await scriptLlm(token, [{ content: `Streaming ${token} ${"piece ".repeat(80).trim()}`, chunkSize: 20, chunkDelayMs: 150 }, { content: `Final answer ${token}` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `stream then crash ${token}` }));
    const firstRun = runSession(key).catch((err) => err);
    const [preview] = await eventually(async () => {
      const sent = (await telegramCalls(chat, "sendMessage")).filter((c) => c.status === 200);
      return sent.length > 0 && sent;
    });
    await resetSession(key);
    await firstRun;
    // What the lease alarm finds two minutes later: the row claimed by a run that died.
    await runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => {
      state.storage.sql.exec("UPDATE inbox SET lease_until = 0, created_at = created_at - 120000");
    });
    await runSession(key);
    const final = await eventually(async () => (await telegramCalls(chat, "editMessageText")).find((c) => c.status === 200 && String(c.params.text) === `Final answer ${token}`));
    expect(final.params.message_id).toBe(preview.messageId);
    await eventually(async () => (await okTexts(chat)).includes(DELAY_NOTICE_TEXT));
    const sent = await okTexts(chat);
    // One preview message (edited into the answer) and one notice that the answer is late; nothing else.
    expect(sent.filter((t) => t !== DELAY_NOTICE_TEXT)).toHaveLength(1);
    expect(sent.filter((t) => t === DELAY_NOTICE_TEXT)).toHaveLength(1);
    expect(sent.some((t) => t.includes("Final answer"))).toBe(false);
  });
});
