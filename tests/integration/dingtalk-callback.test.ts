import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, eventually, runSession, uniqueId } from "../support/channel-script.ts";
import { allDingtalkCalls, DINGTALK_TEST, dingtalkCalls, dingtalkConversationId, dingtalkFile, dingtalkMessage, expireDingtalkTokens, postDingtalk } from "../support/dingtalk-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);
const markdownTexts = (calls: Array<{ params: Record<string, any> }>) => calls.map((c) => String(c.params.markdown?.text ?? c.params.msgParam?.text));
const staff = () => `staff-${uniqueId().toString(36)}`;

describe("DingTalk robot (HTTP mode)", () => {
  it("should refuse a bad sign, another secret, a timestamp over an hour old and a missing sign with 401", async () => {
    const session = `s${uniqueId()}`;
    const body = dingtalkMessage({ text: "forged", session });
    expect((await postDingtalk(body, { sign: "AAAA" })).status).toBe(401);
    expect((await postDingtalk(body, { secret: "not-the-secret" })).status).toBe(401);
    expect((await postDingtalk(body, { timestamp: Date.now() - 61 * 60_000 })).status).toBe(401);
    const { SELF } = await import("cloudflare:test");
    expect((await SELF.fetch("https://gateway.test/webhooks/dingtalk", { method: "POST", body: JSON.stringify(body) })).status).toBe(401);
    expect(await inboxCount(`dingtalk:${DINGTALK_TEST.owner}`)).toBe(0);
    expect(await dingtalkCalls(session)).toEqual([]);
  });

  it("should answer a DM once through its sessionWebhook as a markdown message", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtdm");
    const owner = staff();
    await approveSender("dingtalk", owner);
    await scriptLlm(token, [{ content: `## Result\n\n**Done** ~~maybe~~ \`code\` ${token}` }]);
    const res = await postDingtalk(dingtalkMessage({ staffId: owner, text: `hello ${token}`, session }));
    expect(res.status).toBe(200);
    await runSession(`dingtalk:${owner}`);
    const calls = await atLeast(1, () => dingtalkCalls(session, "session"));
    expect(calls).toHaveLength(1);
    expect(calls[0].params.msgtype).toBe("markdown");
    expect(calls[0].params.markdown.title).toBe("Result");
    expect(calls[0].params.markdown.text).toBe(`## Result  \n\n**Done** maybe code ${token}  `);
    expect(await dingtalkCalls(owner)).toEqual([]);
  });

  it("should fall back to the robot API (batchSend) once the sessionWebhook has expired", async () => {
    const token = uniqueToken("dtexpired");
    const owner = staff();
    await approveSender("dingtalk", owner);
    const session = `s${uniqueId()}`;
    await postDingtalk(dingtalkMessage({ staffId: owner, text: `late ${token}`, session, sessionExpiresAt: Date.now() - 1000 }));
    await runSession(`dingtalk:${owner}`);
    const [sent] = await atLeast(1, () => dingtalkCalls(owner, "batchSend"));
    expect(sent.params).toMatchObject({ robotCode: DINGTALK_TEST.robotCode, userIds: [owner], msgKey: "sampleMarkdown" });
    expect(sent.params.msgParam.text).toBe(`echo: late ${token}  `);
    expect(await dingtalkCalls(session)).toEqual([]);
  });

  it("should reply once to a callback delivered three times", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtdup");
    const body = dingtalkMessage({ text: `dup ${token}`, session });
    await postDingtalk(body);
    await postDingtalk(body);
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    await postDingtalk(body);
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    await eventually(async () => (await dingtalkCalls(session, "session")).length > 0);
    expect(markdownTexts(await dingtalkCalls(session, "session"))).toEqual([`echo: dup ${token}  `]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should acknowledge before a slow model answers", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtslow");
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const started = Date.now();
    const res = await postDingtalk(dingtalkMessage({ text: `slow ${token}`, session }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(modelMs);
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    expect(markdownTexts(await dingtalkCalls(session, "session"))).toEqual([`finally ${token}  `]);
  }, 30_000);

  it("should give a stranger in a DM a pairing code and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'dingtalk'").run();
    const stranger = staff();
    const token = uniqueToken("dtstranger");
    await postDingtalk(dingtalkMessage({ staffId: stranger, text: `hi ${token}` }));
    const [sent] = await atLeast(1, () => dingtalkCalls(stranger, "batchSend"));
    expect(sent.params.msgParam.text).toMatch(/pairing code is: [A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await runSession(`dingtalk:${stranger}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should answer an @mention in a group in the group's own session, through groupMessages/send when no sessionWebhook is left", async () => {
    const conversationId = dingtalkConversationId();
    const token = uniqueToken("dtgroup");
    await postDingtalk(dingtalkMessage({ group: true, conversationId, text: `help ${token}`, session: "" }));
    await runSession(`dingtalk:group:${conversationId}`);
    const [sent] = await atLeast(1, () => dingtalkCalls(conversationId, "groupSend"));
    expect(sent.params).toMatchObject({ openConversationId: conversationId, msgKey: "sampleMarkdown" });
    expect(sent.params.msgParam.text).toBe(`echo: help ${token}  `);
    expect(await inboxCount(`dingtalk:group:${conversationId}`)).toBe(1);
  });

  it("should download a picture with messageFiles/download into R2 and hand it to the model", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtimg");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    const code = `dl-${token}`;
    await dingtalkFile(code, png, "image/png");
    await scriptLlm(token, [{ content: `a pixel ${token}` }]);
    await postDingtalk(dingtalkMessage({ session, msgtype: "richText", content: { richText: [{ text: `what is this ${token}` }, { pictureDownloadCode: "p", downloadCode: code, type: "picture" }] } }));
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const user = request.body.messages.findLast((m: { role: string }) => m.role === "user");
    expect(JSON.stringify(user.content)).toContain("image_url");
    expect(await dingtalkCalls(code, "download")).toHaveLength(1);
  });

  it("should split a long reply into markdown messages of at most 4,000 characters", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtlong");
    const long = Array.from({ length: 10 }, (_, i) => `${i} ${"word ".repeat(199)}end`).join("\n\n");
    await scriptLlm(token, [{ content: `${long}\n\n${token}` }]);
    await postDingtalk(dingtalkMessage({ text: `long ${token}`, session }));
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    const texts = markdownTexts(await atLeast(3, () => dingtalkCalls(session, "session")));
    // Parts are cut at 4,000 characters of Markdown; the conversion then adds the two-space line breaks.
    for (const text of texts) expect(text.replace(/  $/gm, "").length).toBeLessThanOrEqual(4_000);
    expect(texts.at(-1)).toContain(token);
  });

  it("should fetch a new access token once when DingTalk answers 401", async () => {
    const token = uniqueToken("dttoken");
    const conversationId = dingtalkConversationId();
    await expireDingtalkTokens();
    const before = (await allDingtalkCalls("token")).length;
    await postDingtalk(dingtalkMessage({ group: true, conversationId, text: `token ${token}`, session: "" }));
    await runSession(`dingtalk:group:${conversationId}`);
    expect((await atLeast(1, () => dingtalkCalls(conversationId, "groupSend"))).map((c) => c.params.msgParam.text)).toEqual([`echo: token ${token}  `]);
    expect((await allDingtalkCalls("token")).length).toBe(before + 1);
  });

  it("should send the bot's images back: uploaded with media/upload, then a sampleImageMsg after the text", async () => {
    const session = `s${uniqueId()}`;
    const token = uniqueToken("dtgen");
    await scriptLlm(token, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a fox ${token}` } }] }, { content: `Here is your fox ${token}.` }]);
    await postDingtalk(dingtalkMessage({ text: `draw ${token}`, session }));
    await runSession(`dingtalk:${DINGTALK_TEST.owner}`);
    expect(markdownTexts(await atLeast(1, () => dingtalkCalls(session, "session")))).toEqual([`Here is your fox ${token}.  `]);
    const images = (await atLeast(1, () => dingtalkCalls(DINGTALK_TEST.owner, "batchSend"))).filter((c) => c.params.msgKey === "sampleImageMsg");
    const upload = (await allDingtalkCalls("upload")).find((c) => c.params.mediaId === images.at(-1)?.params.msgParam.photoURL);
    const [generation] = await (await fetch(`${standIns().llm}/__media-requests?match=${token}`)).json() as Array<{ images: string[] }>;
    expect(upload?.params).toMatchObject({ type: "image", base64: generation.images[0] });
  });

  it("should ignore a group message that does not @mention the robot under the mention policy", async () => {
    const conversationId = dingtalkConversationId();
    const token = uniqueToken("dtnomention");
    await postDingtalk(dingtalkMessage({ group: true, conversationId, text: `chatter ${token}`, isInAtList: false }));
    expect(await runSession(`dingtalk:group:${conversationId}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });
});
