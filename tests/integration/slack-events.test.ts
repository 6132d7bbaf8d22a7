import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { atLeast, eventually, postSlack, runSession, slackCalls, slackChannelId, slackEvent, slackFault, slackTs } from "../support/channel-script.ts";

const posted = async (channel: string) => (await slackCalls(channel, "chat.postMessage")).map((c) => c.params);
const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

describe("Slack Events API", () => {
  it("should echo the challenge of a url_verification request", async () => {
    const res = await postSlack({ token: "t", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("should refuse a bad signature, a wrong secret and a 6-minute-old timestamp with 401", async () => {
    const channel = slackChannelId("D");
    const body = slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: "forged", ts: slackTs() });
    expect((await postSlack(body, { signature: "v0=deadbeef" })).status).toBe(401);
    expect((await postSlack(body, { secret: "not-the-secret" })).status).toBe(401);
    expect((await postSlack(body, { timestamp: Math.floor(Date.now() / 1000) - 360 })).status).toBe(401);
    expect(await inboxCount(`slack:${channel}`)).toBe(0);
  });

  it("should answer an app_mention with chat.postMessage in the thread", async () => {
    const channel = slackChannelId("C");
    const token = uniqueToken("mention");
    const ts = slackTs();
    await scriptLlm(token, [{ content: `Sure, **here** it is ${token}` }]);
    const res = await postSlack(slackEvent({ type: "app_mention", channel, channel_type: "channel", user: "U1", text: `<@UBOT> help me ${token}`, ts }));
    expect(res.status).toBe(200);
    await runSession(`slack:${channel}:${ts}`);
    const [reply] = await atLeast(1, () => posted(channel));
    expect(reply).toMatchObject({ channel, thread_ts: ts, text: `Sure, *here* it is ${token}` });
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).not.toContain("<@UBOT>");
  });

  it("should react with eyes while working and a check mark when done", async () => {
    const channel = slackChannelId("D");
    const ts = slackTs();
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: "react please", ts }));
    await runSession(`slack:${channel}`);
    await eventually(async () => (await slackCalls(channel, "reactions.add")).length >= 2);
    const reactions = (await slackCalls(channel)).filter((c) => c.method.startsWith("reactions.")).map((c) => `${c.method}:${c.params.name}:${c.params.timestamp === ts}`);
    expect(reactions).toEqual(["reactions.add:eyes:true", "reactions.remove:eyes:true", "reactions.add:white_check_mark:true"]);
  });

  it("should reply once to a retried delivery and to a duplicate event_id", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("retry");
    const body = slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `dup ${token}`, ts: slackTs() });
    await postSlack(body);
    await postSlack(body, { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    await postSlack(body, { headers: { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" } });
    await runSession(`slack:${channel}`);
    await postSlack(body, { headers: { "x-slack-retry-num": "3", "x-slack-retry-reason": "http_timeout" } });
    await runSession(`slack:${channel}`);
    await eventually(async () => (await posted(channel)).length > 0);
    expect((await posted(channel)).map((p) => p.text)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should acknowledge well under 3 seconds while the model takes longer", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("slow");
    // The test config's llmTimeoutS is 3, so 2.5 s is the slowest model these tests can script.
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const started = Date.now();
    const res = await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `slow ${token}`, ts: slackTs() }));
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(modelMs);
    await runSession(`slack:${channel}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(modelMs);
    expect((await posted(channel)).map((p) => p.text)).toEqual([`finally ${token}`]);
  }, 30_000);

  it("should ignore channel messages without a mention, bot messages and edits under the mention policy", async () => {
    const channel = slackChannelId("C");
    const ts = slackTs();
    await postSlack(slackEvent({ type: "message", channel, channel_type: "channel", user: "U1", text: "no mention here", ts }));
    await postSlack(slackEvent({ type: "message", channel, channel_type: "channel", bot_id: "B2", text: "<@UBOT> from a bot", ts: slackTs() }));
    await postSlack(slackEvent({ type: "message", subtype: "message_changed", channel, channel_type: "channel", ts: slackTs() }));
    // The `message` copy of a mention is skipped: the app_mention event carries it.
    await postSlack(slackEvent({ type: "message", channel, channel_type: "channel", user: "U1", text: "<@UBOT> hi", ts }));
    expect(await runSession(`slack:${channel}:${ts}`)).toBe(false);
    expect(await slackCalls(channel)).toEqual([]);
  });

  it("should give an unknown DM sender a pairing code and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'slack'").run();
    const channel = slackChannelId("D");
    const token = uniqueToken("stranger");
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: `U${token}`, text: `hi ${token}`, ts: slackTs() }));
    const [reply] = await posted(channel);
    expect(reply.text).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await runSession(`slack:${channel}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should wait out Retry-After on a 429 and post once", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("slack429");
    await slackFault({ method: "chat.postMessage", chat: channel, count: 1, status: 429, retryAfter: 1 });
    await postSlack(slackEvent({ type: "message", channel, channel_type: "im", user: "U1", text: `limit ${token}`, ts: slackTs() }));
    await runSession(`slack:${channel}`);
    const calls = await eventually(async () => {
      const c = await slackCalls(channel, "chat.postMessage");
      return c.length >= 2 && c;
    });
    expect(calls).toHaveLength(2);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
  });

  it("should download a shared file with the bot token into R2", async () => {
    const channel = slackChannelId("D");
    const token = uniqueToken("file");
    const { standIns } = await import("../support/llm-script.ts");
    await fetch(`${standIns().slack}/__files`, { method: "POST", body: JSON.stringify({ name: `${token}.txt`, base64: btoa("file body"), mimeType: "text/plain" }) });
    const files = [{ id: "F1", name: `${token}.txt`, mimetype: "text/plain", url_private_download: `${standIns().slack}/files/${token}.txt` }];
    await postSlack(slackEvent({ type: "message", subtype: "file_share", channel, channel_type: "im", user: "U1", text: `see file ${token}`, ts: slackTs(), files }));
    await runSession(`slack:${channel}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    // The model is told the workspace path (what read_file takes), not the R2 key.
    const match = /\[Attached file: (media\/[\w-]+\.txt) /.exec(JSON.stringify(request.body.messages));
    expect(match).not.toBeNull();
    expect(await (await env.WORKSPACE.get(`workspaces/main/${match![1]}`))?.text()).toBe("file body");
  });
});
