/** The Feishu and DingTalk adapters' outbound code with configs of its own, against the stand-ins. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { dingtalkChannel } from "../../src/channels/dingtalk/dingtalk-channel.ts";
import { feishuChannel } from "../../src/channels/feishu/feishu-channel.ts";
import { loadConfigFrom } from "../../src/config/load-config.ts";
import type { Config } from "../../src/config/schema.ts";
import type { MediaRef } from "../../src/session-protocol/inbound.ts";
import { uniqueId } from "../support/channel-script.ts";
import { dingtalkCalls, allDingtalkCalls } from "../support/dingtalk-script.ts";
import { allFeishuCalls, feishuCalls, feishuChatId, feishuMessageId, finalCards } from "../support/feishu-script.ts";
import { standIns } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

function configWith(feishu: Record<string, unknown> = {}): Config {
  const base = testConfig(standIns());
  const result = loadConfigFrom({ ...base, channels: { ...base.channels, feishu: { ...base.channels.feishu, ...feishu } } }, undefined, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

async function stored(name: string, mimeType: string, text: string): Promise<MediaRef> {
  const key = `workspaces/main/media/${uniqueId()}-${name}`;
  await env.WORKSPACE.put(key, text, { httpMetadata: { contentType: mimeType } });
  return { key, mimeType, name };
}

const png = () => Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

describe("Feishu outbound", () => {
  it("should not stream with streaming off: one card with the whole answer at the end", async () => {
    const config = configWith({ streaming: false });
    const chatId = feishuChatId();
    const messageId = feishuMessageId();
    const request = { sessionKey: `feishu:${chatId}`, workspaceId: "main", message: { channel: "feishu", chatId, senderId: "ou_owner", text: "hi", messageId } };
    expect(feishuChannel.outbound.turnHooks?.({ env, config, request, inboxId: 1 })).toBeUndefined();
    await feishuChannel.outbound.deliver({ env, config, request, inboxId: 1, reply: { content: "the answer", model: "m", usage: { promptTokens: 1, completionTokens: 1 }, stopReason: "completed" } });
    expect(await finalCards(messageId)).toEqual(["the answer"]);
    expect(await feishuCalls(messageId, "update")).toEqual([]);
  });

  it("should send the message tool's files: images as image messages, others as files, after the text", async () => {
    const chatId = feishuChatId();
    const key = `workspaces/main/media/${uniqueId()}-chart.png`;
    await env.WORKSPACE.put(key, png(), { httpMetadata: { contentType: "image/png" } });
    const doc = await stored("notes.txt", "text/plain", "some notes");
    await feishuChannel.outbound.send({ env, config: configWith(), target: { chatId }, text: "here you go", media: [{ key, mimeType: "image/png", name: "chart.png" }, doc] });
    const sent = await feishuCalls(chatId, "send");
    expect(sent.map((c) => c.params.msg_type)).toEqual(["interactive", "image", "file"]);
    const { file_key } = JSON.parse(sent[2].params.content);
    const upload = (await allFeishuCalls("upload_file")).find((c) => c.params.key === file_key);
    expect(upload?.params).toMatchObject({ name: "notes.txt", base64: btoa("some notes") });
  });
});

describe("DingTalk outbound", () => {
  it("should send the message tool's files through the robot API: a picture as sampleImageMsg, a document as sampleFile", async () => {
    const staffId = `staff-${uniqueId()}`;
    const key = `workspaces/main/media/${uniqueId()}-chart.png`;
    await env.WORKSPACE.put(key, png(), { httpMetadata: { contentType: "image/png" } });
    const doc = await stored("report.pdf", "application/pdf", "%PDF-1.4 stand-in");
    await dingtalkChannel.outbound.send({ env, config: configWith(), target: { chatId: staffId }, text: "**files**", media: [{ key, mimeType: "image/png", name: "chart.png" }, doc] });
    const sent = await dingtalkCalls(staffId, "batchSend");
    expect(sent.map((c) => c.params.msgKey)).toEqual(["sampleMarkdown", "sampleImageMsg", "sampleFile"]);
    expect(sent[2].params.msgParam).toMatchObject({ fileName: "report.pdf", fileType: "pdf" });
    const upload = (await allDingtalkCalls("upload")).find((c) => c.params.mediaId === sent[2].params.msgParam.mediaId);
    expect(upload?.params).toMatchObject({ type: "file", base64: btoa("%PDF-1.4 stand-in") });
  });
});
