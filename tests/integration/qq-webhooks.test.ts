import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { qqValidationSignature } from "../../src/channels/qq/qq-signature.ts";
import { approveSender, atLeast, eventually, runSession } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { postQq, qqCalls, qqEvent, qqFile, qqId, qqRevokeTokens, qqSent, qqTokensIssued } from "../support/qq-script.ts";
import { STAND_IN_QQ } from "../support/stand-in-qq.ts";
import { PNG_1PX_BASE64 } from "../support/web-fixtures.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

/** A C2C message from an allowed user (allowFrom in tests/support/test-config.ts is QQUSER1, so others are approved). */
async function c2c(text: string, extra: Record<string, unknown> = {}) {
  const openid = qqId("U");
  await approveSender("qq", openid);
  const body = qqEvent("C2C_MESSAGE_CREATE", { author: { id: openid, user_openid: openid }, content: text, ...extra });
  return { openid, chat: `c2c:${openid}`, body, msgId: (body.d as { id: string }).id };
}

describe("QQ webhook (HTTP callback mode)", () => {
  it("should answer the op 13 URL validation with the plain_token signed with the bot secret", async () => {
    const body = { d: { plain_token: "Arq0D5A61EgUu4OxUvOp", event_ts: "1725442341" }, op: 13 };
    const res = await postQq(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ plain_token: "Arq0D5A61EgUu4OxUvOp", signature: await qqValidationSignature(STAND_IN_QQ.secret, "1725442341", "Arq0D5A61EgUu4OxUvOp") });
    expect((await postQq(body, { signature: "00".repeat(64) })).status).toBe(401);
  });

  it("should refuse a bad signature, a wrong secret and a stale timestamp with 401 and store nothing", async () => {
    const { chat, body } = await c2c("forged");
    expect((await postQq(body, { signature: "ab".repeat(64) })).status).toBe(401);
    expect((await postQq(body, { secret: "not-the-bot-secret" })).status).toBe(401);
    expect((await postQq(body, { timestamp: Math.floor(Date.now() / 1000) - 360 })).status).toBe(401);
    expect(await inboxCount(`qq:${chat}`)).toBe(0);
  });

  it("should acknowledge with op 12 and answer a C2C message once, passively, as plain text", async () => {
    const token = uniqueToken("qqc2c");
    await scriptLlm(token, [{ content: `## Result\n**Sure**, see [the docs](https://example.com) ${token}` }]);
    const { chat, body, msgId } = await c2c(`hello ${token}`);
    const res = await postQq(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ op: 12 });
    await runSession(`qq:${chat}`);
    const [reply] = await atLeast(1, () => qqSent(chat));
    expect(reply.params).toEqual({ content: `Result\nSure, see the docs (https://example.com) ${token}`, msg_type: 0, msg_id: msgId, msg_seq: 1 });
    expect(await qqSent(chat)).toHaveLength(1);
  });

  it("should answer a group @-message in the group and a guild @-message in its channel without the mention", async () => {
    const token = uniqueToken("qqgroup");
    const member = qqId("M");
    await approveSender("qq", member);
    const group = qqId("G");
    await postQq(qqEvent("GROUP_AT_MESSAGE_CREATE", { author: { id: member, member_openid: member }, content: ` group ${token}`, group_id: group, group_openid: group }));
    await runSession(`qq:group:${group}`);
    const [groupReply] = await atLeast(1, () => qqSent(`group:${group}`));
    expect(groupReply.params.content).toBe(`echo: group ${token}`);

    const user = String(Date.now());
    await approveSender("qq", user);
    const channel = String(Date.now() + 1);
    await postQq(qqEvent("AT_MESSAGE_CREATE", { author: { id: user, username: "alice", bot: false }, channel_id: channel, guild_id: "18700000000001", content: `<@!${STAND_IN_QQ.botId}> guild ${token}`, mentions: [{ id: STAND_IN_QQ.botId, bot: true }] }));
    await runSession(`qq:channel:${channel}`);
    const [guildReply] = await atLeast(1, () => qqSent(`channel:${channel}`));
    expect(guildReply.params.content).toBe(`echo: guild ${token}`);
    expect(guildReply.params.msg_seq).toBeUndefined();
    expect(guildReply.params.msg_id).toMatch(/^ROBOT1\.0_/);
  });

  it("should answer a guild DM through /dms/{guild_id}/messages", async () => {
    const token = uniqueToken("qqdm");
    const user = String(Date.now() + 7);
    await approveSender("qq", user);
    const dmGuild = String(Date.now() + 8);
    await postQq(qqEvent("DIRECT_MESSAGE_CREATE", { author: { id: user, username: "bob" }, channel_id: "1", guild_id: dmGuild, src_guild_id: "18700000000001", direct_message: true, content: `dm ${token}` }));
    await runSession(`qq:dm:${dmGuild}`);
    const [reply] = await atLeast(1, () => qqSent(`dm:${dmGuild}`));
    expect(reply.path).toBe(`/dms/${dmGuild}/messages`);
    expect(reply.params.content).toBe(`echo: dm ${token}`);
  });

  it("should reply once when QQ delivers the same event again", async () => {
    const token = uniqueToken("qqdup");
    const { chat, body } = await c2c(`dup ${token}`);
    await postQq(body);
    await postQq(body);
    await runSession(`qq:${chat}`);
    await postQq(body);
    await runSession(`qq:${chat}`);
    await eventually(async () => (await qqSent(chat)).length > 0);
    expect((await qqSent(chat)).map((c) => c.params.content)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should acknowledge well inside QQ's 3 seconds while the model takes longer", async () => {
    const token = uniqueToken("qqslow");
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const { chat, body } = await c2c(`slow ${token}`);
    const started = Date.now();
    const res = await postQq(body);
    const ackMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ackMs).toBeLessThan(modelMs);
    await runSession(`qq:${chat}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(modelMs);
    expect((await qqSent(chat)).map((c) => c.params.content)).toEqual([`finally ${token}`]);
  }, 30_000);

  it("should give a stranger in a C2C chat a pairing code as a passive reply and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'qq'").run();
    const token = uniqueToken("qqstranger");
    const openid = qqId("S");
    const body = qqEvent("C2C_MESSAGE_CREATE", { author: { id: openid, user_openid: openid }, content: `hi ${token}` });
    expect((await postQq(body)).status).toBe(200);
    const [reply] = await atLeast(1, () => qqSent(`c2c:${openid}`));
    expect(reply.params.content).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(reply.params.msg_id).toBe((body.d as { id: string }).id);
    expect(await runSession(`qq:c2c:${openid}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should download an image attachment and give it to the model", async () => {
    const token = uniqueToken("qqimage");
    const png = Uint8Array.from(atob(PNG_1PX_BASE64), (c) => c.charCodeAt(0));
    const url = await qqFile(`${token}.png`, png, "image/png");
    const { chat, body } = await c2c(`what is this ${token}`, { attachments: [{ content_type: "image/png", filename: `${token}.png`, height: 1, width: 1, size: png.length, url }] });
    await postQq(body);
    await runSession(`qq:${chat}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const parts = request.body.messages.at(-1).content as Array<{ type: string; image_url?: { url: string } }>;
    expect(parts.some((p) => p.type === "image_url" && p.image_url!.url === `data:image/png;base64,${PNG_1PX_BASE64}`)).toBe(true);
  });

  it("should split a long reply into parts with msg_seq 1, 2, …", async () => {
    const token = uniqueToken("qqlong");
    const long = `${"word ".repeat(500)}\n\n${"more ".repeat(300)}${token}`;
    await scriptLlm(token, [{ content: long }]);
    const { chat, body, msgId } = await c2c(`long ${token}`);
    await postQq(body);
    await runSession(`qq:${chat}`);
    const sent = await atLeast(3, () => qqSent(chat));
    expect(sent.map((c) => [c.params.msg_id, c.params.msg_seq])).toEqual([[msgId, 1], [msgId, 2], [msgId, 3]]);
    expect(sent.every((c) => c.params.content.length <= 2000)).toBe(true);
    expect(sent.map((c) => c.params.content).join(" ").replace(/\s+/g, " ")).toBe(long.replace(/\s+/g, " ").trim());
  });

  it("should reuse the access token and fetch a new one once when QQ answers 401", async () => {
    const first = await c2c(`token one ${uniqueToken("qqtok")}`);
    await postQq(first.body);
    await runSession(`qq:${first.chat}`);
    await atLeast(1, () => qqSent(first.chat));
    const issued = await qqTokensIssued();
    const second = await c2c(`token two ${uniqueToken("qqtok")}`);
    await postQq(second.body);
    await runSession(`qq:${second.chat}`);
    await atLeast(1, () => qqSent(second.chat));
    expect(await qqTokensIssued()).toBe(issued);
    await qqRevokeTokens();
    const third = await c2c(`token three ${uniqueToken("qqtok")}`);
    await postQq(third.body);
    await runSession(`qq:${third.chat}`);
    await atLeast(1, () => qqSent(third.chat));
    expect(await qqTokensIssued()).toBe(issued + 1);
    expect((await qqCalls(third.chat)).map((c) => c.status)).toEqual([401, 200]);
  });

  it("should upload a stored image to a C2C chat and send it as a media message after the text", async () => {
    const { qqChannel } = await import("../../src/channels/qq/qq-channel.ts");
    const { testConfig } = await import("../support/test-config.ts");
    const { standIns } = await import("../support/llm-script.ts");
    const { resolveConfig } = await import("../../src/config/resolve-config.ts");
    const resolved = resolveConfig({ name: "nanobot.config.json", text: JSON.stringify(testConfig(standIns())) }, undefined, {});
    if (!resolved.ok) throw new Error(resolved.error.message);
    const key = `workspaces/main/media/${uniqueToken("qqsend")}.png`;
    await env.WORKSPACE.put(key, Uint8Array.from(atob(PNG_1PX_BASE64), (c) => c.charCodeAt(0)));
    const chat = `c2c:${qqId("P")}`;
    await qqChannel.outbound.send({ env, config: resolved.config, target: { chatId: chat }, text: "here it is", media: [{ key, mimeType: "image/png", name: "chart.png" }] });
    const calls = (await qqCalls(chat)).filter((c) => c.status === 200);
    expect(calls.map((c) => c.path.split("/").pop())).toEqual(["messages", "files", "messages"]);
    expect(calls[1].params).toMatchObject({ file_type: 1, file_data: PNG_1PX_BASE64, srv_send_msg: false });
    expect(calls[2].params).toMatchObject({ msg_type: 7, media: { file_info: expect.stringMatching(/^info-/) } });
  });
});
