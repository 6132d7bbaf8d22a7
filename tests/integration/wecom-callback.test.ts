import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, runSession, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import type { WecomCall } from "../support/stand-in-wecom.ts";

const wecom = () => standIns().wecom;
const user = () => `user${uniqueId()}`;
const msgId = () => String(uniqueId() * 1000 + Math.floor(Math.random() * 1000));

const textXml = (from: string, text: string, id = msgId()) =>
  `<xml><ToUserName><![CDATA[wwstandincorp]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${id}</MsgId><AgentID>1000002</AgentID></xml>`;

/** The signed, encrypted callback WeCom would post (built by the stand-in with Node's own crypto). */
async function callback(xml: string, opts: { timestamp?: number; token?: string } = {}) {
  return (await (await fetch(`${wecom()}/__callback`, { method: "POST", body: JSON.stringify({ xml, ...opts }) })).json()) as { query: string; body: string; echo: { encrypted: string; signature: string; timestamp: string; nonce: string } };
}

const post = (cb: { query: string; body: string }) => SELF.fetch(`https://gateway.test/webhooks/wecom?${cb.query}`, { method: "POST", headers: { "content-type": "text/xml" }, body: cb.body });

const calls = async (touser: string, method = "message/send"): Promise<WecomCall[]> => (await fetch(`${wecom()}/__calls?touser=${touser}&method=${method}`)).json();
const sentTexts = async (touser: string) => (await calls(touser)).filter((c) => c.ok).map((c) => c.params.markdown?.content ?? c.params.text?.content);
const inboxCount = (key: string) => runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

describe("WeCom app callback", () => {
  it("should answer the URL check with the decrypted echostr and refuse a forged or stale one", async () => {
    const { echo } = await callback("4711815148436245123");
    const url = (e: typeof echo) => `https://gateway.test/webhooks/wecom?msg_signature=${e.signature}&timestamp=${e.timestamp}&nonce=${e.nonce}&echostr=${encodeURIComponent(e.encrypted)}`;
    const ok = await SELF.fetch(url(echo));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("4711815148436245123");
    expect((await SELF.fetch(url({ ...echo, signature: "0".repeat(40) }))).status).toBe(401);
    const stale = (await callback("1", { timestamp: Math.floor(Date.now() / 1000) - 3600 })).echo;
    expect((await SELF.fetch(url(stale))).status).toBe(401);
  });

  it("should acknowledge with an empty body and answer once through message/send", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("wecom");
    await scriptLlm(token, [{ content: `**Hello** ${token}` }]);
    const res = await post(await callback(textXml(from, `hi ${token}`)));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    await runSession(`wecom:${from}`);
    const [sent] = await atLeast(1, () => calls(from));
    expect(sent.params).toMatchObject({ touser: from, agentid: 1000002, msgtype: "markdown", markdown: { content: `**Hello** ${token}` } });
    expect(await sentTexts(from)).toHaveLength(1);
  });

  it("should refuse a bad signature, a wrong token and a stale timestamp with 401 and store nothing", async () => {
    const from = user();
    await approveSender("wecom", from);
    const cb = await callback(textXml(from, "forged"));
    expect((await post({ ...cb, query: cb.query.replace(/msg_signature=\w+/, `msg_signature=${"a".repeat(40)}`) })).status).toBe(401);
    expect((await post(await callback(textXml(from, "wrong token"), { token: "not-the-token" }))).status).toBe(401);
    expect((await post(await callback(textXml(from, "old"), { timestamp: Math.floor(Date.now() / 1000) - 600 }))).status).toBe(401);
    expect(await inboxCount(`wecom:${from}`)).toBe(0);
  });

  it("should reply once when WeCom retries the same message", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("retry");
    const xml = textXml(from, `dup ${token}`);
    await post(await callback(xml));
    await post(await callback(xml));
    await runSession(`wecom:${from}`);
    await post(await callback(xml));
    await runSession(`wecom:${from}`);
    await atLeast(1, () => calls(from));
    expect(await sentTexts(from)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should acknowledge well inside WeCom's 5 seconds while the model takes longer", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("slow");
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: 2_500 }]);
    const cb = await callback(textXml(from, `slow ${token}`));
    const started = Date.now();
    const res = await post(cb);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2_500);
    await runSession(`wecom:${from}`);
    expect(await sentTexts(from)).toEqual([`finally ${token}`]);
  }, 30_000);

  it("should send a stranger a pairing code and not run the model", async () => {
    const from = user();
    const token = uniqueToken("stranger");
    await post(await callback(textXml(from, `let me in ${token}`)));
    const [text] = await atLeast(1, () => sentTexts(from));
    expect(text).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should download an image through media/get into the workspace and show it to the model", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("img");
    // A 1×1 PNG (67 bytes), 2 bytes to reach a multiple of 3, then the token: its base64 appears verbatim in the
    // image part the model receives, which is how this test finds the model's request (an image has no text).
    const png = atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    const marker = btoa(token);
    await fetch(`${wecom()}/__files`, { method: "POST", body: JSON.stringify({ mediaId: `media-${token}`, base64: btoa(`${png}\0\0${token}`), mimeType: "image/png", name: `${token}.png` }) });
    const xml = `<xml><ToUserName><![CDATA[wwstandincorp]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.invalid/p.png]]></PicUrl><MediaId><![CDATA[media-${token}]]></MediaId><MsgId>${msgId()}</MsgId><AgentID>1000002</AgentID></xml>`;
    expect((await post(await callback(xml))).status).toBe(200);
    await runSession(`wecom:${from}`);
    const [request] = await atLeast(1, () => llmRequests(marker));
    const last = request.body.messages.findLast((m: { role: string }) => m.role === "user");
    expect(JSON.stringify(last.content)).toContain("image_url");
    expect(JSON.stringify(last.content)).toContain(marker);
    const listed = await env.WORKSPACE.list({ prefix: "workspaces/main/media/" });
    expect(listed.objects.some((o) => o.key.endsWith(`-${token}.png`))).toBe(true);
  });

  it("should fetch a new access token once when WeCom says the old one expired", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("expired");
    await scriptLlm(token, [{ content: `fresh ${token}` }]);
    await fetch(`${wecom()}/__expire`, { method: "POST" });
    await post(await callback(textXml(from, `again ${token}`)));
    await runSession(`wecom:${from}`);
    expect(await sentTexts(from)).toEqual([`fresh ${token}`]);
    // The first send carried the expired token and was refused; the retry carried a new one.
    const attempts = await calls(from);
    expect(attempts.map((c) => c.ok)).toEqual([false, true]);
    expect(attempts[0].accessToken).not.toBe(attempts[1].accessToken);
  });

  it("should split a long Chinese reply into parts WeCom accepts (2,048 bytes each)", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("long");
    const answer = `${token} ${"这是一个很长的回答。".repeat(300)}`;
    await scriptLlm(token, [{ content: answer }]);
    await post(await callback(textXml(from, `long ${token}`)));
    await runSession(`wecom:${from}`);
    const parts = await sentTexts(from);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(2048);
    expect(parts.join("").replace(/\s/g, "")).toBe(answer.replace(/\s/g, ""));
  });

  it("should send the bot's image as an image message and a CSV as a file (media/upload, then message/send)", async () => {
    const from = user();
    await approveSender("wecom", from);
    const token = uniqueToken("out");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    await env.WORKSPACE.put(`workspaces/main/out/chart-${token}.png`, png, { httpMetadata: { contentType: "image/png" } });
    await env.WORKSPACE.put(`workspaces/main/out/report-${token}.csv`, "a,b\n1,2\n", { httpMetadata: { contentType: "text/csv" } });
    await scriptLlm(token, [{ toolCalls: [{ name: "message", arguments: { content: "Here you go", media: [`out/chart-${token}.png`, `out/report-${token}.csv`] } }] }, { content: "Sent." }]);
    await post(await callback(textXml(from, `chart ${token}`)));
    await runSession(`wecom:${from}`);
    const sent = await atLeast(4, () => calls(from));
    expect(sent.filter((c) => c.ok).map((c) => c.params.msgtype)).toEqual(["markdown", "image", "file", "markdown"]);
    const uploads = (await (await fetch(`${wecom()}/__calls?method=media/upload`)).json()) as WecomCall[];
    const mine = uploads.filter((u) => String(u.params.name).includes(token)).map((u) => [u.params.type, u.params.name]);
    expect(mine).toEqual([["image", `chart-${token}.png`], ["file", `report-${token}.csv`]]);
  });

  it("should answer GET on a channel without a URL check with 405, and on a disabled channel with 404", async () => {
    expect((await SELF.fetch("https://gateway.test/webhooks/slack")).status).toBe(405);
    expect((await SELF.fetch("https://gateway.test/webhooks/nosuch")).status).toBe(404);
  });
});
