import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { atLeast, eventually, runSession } from "../support/channel-script.ts";
import { botMention, cardTexts, finalCards, expireFeishuTokens, FEISHU_TEST, feishuCalls, feishuChatId, feishuFile, feishuMessageEvent, feishuMessageId, allFeishuCalls, postFeishu } from "../support/feishu-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

describe("Feishu event subscription (webhook mode)", () => {
  it("should answer an encrypted url_verification with its challenge, and refuse one with the wrong token", async () => {
    const challenge = { challenge: "ajls384kdjx98XX", token: FEISHU_TEST.verificationToken, type: "url_verification" };
    const res = await postFeishu(challenge, { unsigned: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "ajls384kdjx98XX" });
    expect((await postFeishu({ ...challenge, token: "someone-else" }, { unsigned: true })).status).toBe(401);
  });

  it("should refuse a bad signature, another Encrypt Key, a 6-minute-old timestamp, a wrong token and a plain body with 401", async () => {
    const chatId = feishuChatId();
    const event = feishuMessageEvent({ chatId, text: "forged" });
    expect((await postFeishu(event, { signature: "0".repeat(64) })).status).toBe(401);
    expect((await postFeishu(event, { encryptKey: "not-the-key" })).status).toBe(401);
    expect((await postFeishu(event, { timestamp: Math.floor(Date.now() / 1000) - 360 })).status).toBe(401);
    expect((await postFeishu(event, { unsigned: true })).status).toBe(401);
    expect((await postFeishu(feishuMessageEvent({ chatId, text: "forged", token: "wrong-token" }))).status).toBe(401);
    const { SELF } = await import("cloudflare:test");
    expect((await SELF.fetch("https://gateway.test/webhooks/feishu", { method: "POST", body: JSON.stringify(event) })).status).toBe(401);
    expect(await inboxCount(`feishu:${chatId}`)).toBe(0);
  });

  it("should reply to a DM exactly once, as an interactive card replying to the message", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsdm");
    await scriptLlm(token, [{ content: `## Result\n\n**Done** ${token}` }]);
    const res = await postFeishu(feishuMessageEvent({ chatId, messageId, text: `hello ${token}` }));
    expect(res.status).toBe(200);
    await runSession(`feishu:${chatId}`);
    const replies = await atLeast(1, () => feishuCalls(messageId, "reply"));
    expect(replies).toHaveLength(1);
    expect(replies[0].params.msg_type).toBe("interactive");
    expect(replies[0].params.reply_in_thread).toBe(false);
    expect(await finalCards(messageId)).toEqual([`**Result**\n\n**Done** ${token}`]);
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).toContain(`hello ${token}`);
  });

  it("should reply once to the same message delivered three times (Feishu retries)", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsdup");
    const event = feishuMessageEvent({ chatId, messageId, text: `dup ${token}` });
    expect((await postFeishu(event)).status).toBe(200);
    expect((await postFeishu(event)).status).toBe(200);
    await runSession(`feishu:${chatId}`);
    // A retry with a new event_id for the same message is the same message.
    expect((await postFeishu({ ...event, header: { ...(event.header as object), event_id: "ev_other" } })).status).toBe(200);
    await runSession(`feishu:${chatId}`);
    await eventually(async () => (await feishuCalls(messageId, "reply")).length > 0);
    expect(await finalCards(messageId)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should acknowledge well inside Feishu's 3 seconds while the model takes longer", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsslow");
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const started = Date.now();
    const res = await postFeishu(feishuMessageEvent({ chatId, messageId, text: `slow ${token}` }));
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(modelMs);
    await runSession(`feishu:${chatId}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(modelMs);
    expect(await finalCards(messageId)).toEqual([`finally ${token}`]);
  }, 30_000);

  it("should give a stranger in a DM a pairing code and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'feishu'").run();
    const chatId = feishuChatId();
    const token = uniqueToken("fsstranger");
    await postFeishu(feishuMessageEvent({ chatId, sender: `ou_${token}`, text: `hi ${token}` }));
    const [sent] = await atLeast(1, () => feishuCalls(chatId, "send"));
    expect(cardTexts([sent])[0]).toMatch(/pairing code is: [A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await runSession(`feishu:${chatId}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should answer a group only when the bot is mentioned, in a session apart from the DM", async () => {
    const chatId = feishuChatId();
    const plain = feishuMessageId();
    const mentioned = feishuMessageId();
    const token = uniqueToken("fsgroup");
    await postFeishu(feishuMessageEvent({ chatId, chatType: "group", messageId: plain, text: `no mention ${token}` }));
    await postFeishu(feishuMessageEvent({ chatId, chatType: "group", messageId: mentioned, text: `@_user_1 help ${token}`, mentions: [botMention()] }));
    await runSession(`feishu:${chatId}`);
    await atLeast(1, () => feishuCalls(mentioned, "reply"));
    expect(await feishuCalls(plain)).toEqual([]);
    const requests = await llmRequests(token);
    expect(requests).toHaveLength(1);
    // The bot's own mention is removed from what the model reads.
    expect(JSON.stringify(requests[0].body.messages)).toContain(`"help ${token}`);
    expect(await inboxCount(`feishu:${chatId}`)).toBe(1);
  });

  it("should download an image into R2 and hand it to the model", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsimg");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    const imageKey = `img_v3_${token}`;
    await feishuFile(imageKey, png, "image/png");
    await postFeishu(feishuMessageEvent({ chatId, messageId, messageType: "post", content: { title: "", content: [[{ tag: "text", text: `what is this ${token}` }], [{ tag: "img", image_key: imageKey, width: 1, height: 1 }]] } }));
    await runSession(`feishu:${chatId}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const user = request.body.messages.findLast((m: { role: string }) => m.role === "user");
    expect(JSON.stringify(user.content)).toContain(`data:image/png;base64,${btoa(String.fromCharCode(...png))}`);
    const [download] = await feishuCalls(messageId, "download");
    expect(download.params).toMatchObject({ key: imageKey, type: "image" });
  });

  it("should split a long reply into cards under the limit, each posted once", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fslong");
    const paragraph = `${"word ".repeat(199)}end`;
    const long = Array.from({ length: 14 }, (_, i) => `${i} ${paragraph}`).join("\n\n");
    await scriptLlm(token, [{ content: `${long}\n\n${token}` }]);
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `long ${token}` }));
    await runSession(`feishu:${chatId}`);
    await atLeast(3, () => feishuCalls(messageId, "reply"));
    const texts = await finalCards(messageId);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(6_000);
    expect(texts.join("\n\n")).toBe(`${long}\n\n${token}`);
    expect(new Set((await feishuCalls(messageId, "reply")).map((c) => c.params.uuid)).size).toBe(texts.length);
  });

  it("should fetch a new tenant_access_token once when Feishu says the cached one is invalid", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fstoken");
    await expireFeishuTokens();
    const before = (await allFeishuCalls("token")).length;
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `token ${token}` }));
    await runSession(`feishu:${chatId}`);
    await atLeast(1, () => feishuCalls(messageId, "reply"));
    expect(await finalCards(messageId)).toEqual([`echo: token ${token}`]);
    expect((await allFeishuCalls("token")).length).toBe(before + 1);
  });

  it("should send the bot's images back: uploaded with im/v1/images, then an image message after the text", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsgen");
    await scriptLlm(token, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a fox ${token}` } }] }, { content: `Here is your fox ${token}.` }]);
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `draw ${token}` }));
    await runSession(`feishu:${chatId}`);
    const replies = await atLeast(2, () => feishuCalls(messageId, "reply"));
    expect(replies.map((c) => c.params.msg_type)).toEqual(["interactive", "image"]);
    const { image_key } = JSON.parse(replies[1].params.content);
    const upload = (await allFeishuCalls("upload_image")).find((c) => c.params.key === image_key);
    const [generation] = await (await fetch(`${standIns().llm}/__media-requests?match=${token}`)).json() as Array<{ images: string[] }>;
    expect(upload?.params.base64).toBe(generation.images[0]);
  });

  it("should copy a file into the workspace and tell the model where it is", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsfile");
    const fileKey = `file_v3_${token}`;
    await feishuFile(fileKey, new TextEncoder().encode(`notes ${token}`), "application/octet-stream");
    await postFeishu(feishuMessageEvent({ chatId, messageId, messageType: "file", content: { file_key: fileKey, file_name: `${token}.txt` } }));
    await runSession(`feishu:${chatId}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const path = /\[Attached file: (media\/[\w-]+\.txt) /.exec(JSON.stringify(request.body.messages))?.[1];
    expect(path).toBeDefined();
    expect(await (await env.WORKSPACE.get(`workspaces/main/${path}`))?.text()).toBe(`notes ${token}`);
    expect((await feishuCalls(messageId, "download"))[0].params).toMatchObject({ key: fileKey, type: "file" });
  });

  it("should stream a slow answer into one card, updated as it is written and finished with the full text", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fsstream");
    const answer = `Streaming ${token} done.`;
    await scriptLlm(token, [{ content: answer, chunkSize: 6, chunkDelayMs: 350 }]);
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `stream ${token}` }));
    await runSession(`feishu:${chatId}`);
    const calls = await atLeast(2, () => feishuCalls(messageId));
    const replies = calls.filter((c) => c.method === "reply");
    const updates = calls.filter((c) => c.method === "update");
    // One card: posted with the first words, then updated (never a second message).
    expect(replies).toHaveLength(1);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(answer.startsWith(cardTexts(replies)[0])).toBe(true);
    expect(cardTexts(replies)[0]).not.toBe(answer);
    expect(JSON.parse(updates.at(-1)!.params.content).elements[0].content).toBe(answer);
    expect(updates.every((u) => u.messageId === replies[0].messageId)).toBe(true);
    expect(await finalCards(messageId)).toEqual([answer]);
  }, 30_000);

  it("should wait out a 429 as x-ogw-ratelimit-reset says and post the reply once", async () => {
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const token = uniqueToken("fs429");
    await fetch(`${standIns().feishu}/__rate-limit`, { method: "POST", body: JSON.stringify({ target: messageId, count: 1, resetS: 1 }) });
    await postFeishu(feishuMessageEvent({ chatId, messageId, text: `limit ${token}` }));
    await runSession(`feishu:${chatId}`);
    const calls = await atLeast(2, () => feishuCalls(messageId, "reply"));
    expect(calls.map((c) => c.code)).toEqual([99991400, 0]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    expect(await finalCards(messageId)).toEqual([`echo: limit ${token}`]);
  });
});
