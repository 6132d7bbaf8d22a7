import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { appendHistory, readHistory } from "../../src/memory/history-file.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { allTelegramCalls, approveSender, atLeast, postSlack, postTelegram, runSession, sentTexts, slackCalls, slackChannelId, slackEvent, slackTs, telegramFile, telegramUpdate, uniqueId } from "../support/channel-script.ts";

async function reply(session: string, text: string): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
  });
  return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
}

const read = (call: string) => ({ name: "read_file", arguments: { path: call } });

describe("slash commands that wait on a model run in the session's alarm", () => {
  it("should acknowledge Slack's /dream within 3 s while the Dream's model takes 10 s, and answer it once despite Slack's retry", async () => {
    const channel = slackChannelId("D");
    const fact = uniqueToken("teal");
    await appendHistory(env.WORKSPACE, "main", `slack:${channel}`, `- [permanent] The user's favourite colour is ${fact}.`);
    // Four model calls of 2.5 s each (the test config's llmTimeoutS is 3 s per call): a 10-second Dream.
    await scriptLlm(fact, [
      { delayMs: 2_500, toolCalls: [read("memory/MEMORY.md")] },
      { delayMs: 2_500, toolCalls: [read("USER.md")] },
      { delayMs: 2_500, toolCalls: [read("SOUL.md")] },
      { delayMs: 2_500, content: "Nothing to change." },
    ]);
    const body = slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: "/dream", ts: slackTs() });
    const started = Date.now();
    const res = await postSlack(body);
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(3_000);
    // Slack's redelivery of the same event (what it sends when an ack is late) is acknowledged and dropped.
    const retry = await postSlack(body, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);

    const dreamStarted = Date.now();
    await runSession(`slack:${channel}`);
    expect(Date.now() - dreamStarted).toBeGreaterThanOrEqual(10_000);
    const posted = await atLeast(1, async () => (await slackCalls(channel, "chat.postMessage")).map((c) => String(c.params.text)));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^Dream completed in \d+\.\ds/);
    expect(await llmRequests(fact)).toHaveLength(4);
    // Nothing is left for another alarm to answer.
    await runSession(`slack:${channel}`);
    expect(await slackCalls(channel, "chat.postMessage")).toHaveLength(1);
  }, 60_000);

  it("should answer quick commands inline, without waiting for the alarm", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    await postTelegram(telegramUpdate({ chatId: chat, text: "/help" }));
    const [help] = await atLeast(1, () => sentTexts(chat));
    expect(help).toContain("/new");
  });

  it("should download a Telegram file in the alarm, not in the webhook", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("later");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    await telegramFile(`file-${token}`, `photos/${token}.jpg`, png);
    await postTelegram(telegramUpdate({ chatId: chat, photoFileId: `file-${token}`, caption: `look ${token}` }));
    const fetched = async () => (await allTelegramCalls("getFile")).filter((c) => c.params.file_id === `file-${token}`);
    // The webhook only stored the message; the file is fetched when the turn runs.
    expect(await fetched()).toHaveLength(0);
    await runSession(`telegram:${chat}`);
    expect(await fetched()).toHaveLength(1);
    const [request] = await atLeast(1, () => llmRequests(token));
    expect(JSON.stringify(request.body.messages)).toContain("image_url");
  });
});

describe("/new", () => {
  it("should summarise the conversation so far into history.jsonl before starting fresh", async () => {
    const session = uniqueToken("newsum");
    const fact = uniqueToken("Quokka");
    await scriptLlm(`Archive of session api:${session}`, [{ content: `- [permanent] The user's pet is a quokka called ${fact}.` }]);
    await reply(session, `My pet quokka is called ${fact}.`);
    expect(await reply(session, "/new")).toBe("New session started.");
    const entries = (await readHistory(env.WORKSPACE, "main")).filter((e) => e.session === `api:${session}`);
    expect(entries.map((e) => e.summary)).toEqual([`- [permanent] The user's pet is a quokka called ${fact}.`]);
    // The new conversation starts empty: neither the old messages nor their summary are in its prompt.
    const next = uniqueToken("fresh");
    await reply(session, next);
    const [request] = await llmRequests(next);
    expect(JSON.stringify(request.body.messages)).not.toContain(fact);
  });

  it("should archive the messages raw when the model cannot summarise them", async () => {
    const session = uniqueToken("newraw");
    const fact = uniqueToken("Axolotl");
    await scriptLlm(`Archive of session api:${session}`, [{ status: 500, body: JSON.stringify({ error: { message: "down" } }) }, { status: 500, body: "{}" }, { status: 500, body: "{}" }, { status: 500, body: "{}" }]);
    await reply(session, `Remember ${fact}.`);
    expect(await reply(session, "/new")).toBe("New session started.");
    const [entry] = (await readHistory(env.WORKSPACE, "main")).filter((e) => e.session === `api:${session}`);
    expect(entry.summary).toMatch(/^\[RAW\] 2 messages\n/);
    expect(entry.summary).toContain(`USER: Remember ${fact}.`);
  });
});
