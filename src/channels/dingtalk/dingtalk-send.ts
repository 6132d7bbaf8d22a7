import type { DingtalkConfig } from "../../config/sections/channel-dingtalk.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import type { ChatTarget } from "../outbound.ts";
import { dingtalkApi, postSessionWebhook, uploadDingtalkMedia } from "./dingtalk-api.ts";
import { markdownTitle, markdownToDingtalk } from "./dingtalk-markdown.ts";

const GROUP = "group:";

/**
 * Sends one robot message through the API: `groupMessages/send` for `group:<conversationId>`, else
 * `oToMessages/batchSend` to the staffId. `msgKey`/`msgParam` are DingTalk's message templates
 * (sampleMarkdown, sampleImageMsg, sampleFile).
 */
export async function sendRobotMessage(d: DingtalkConfig, target: Pick<ChatTarget, "chatId">, msgKey: string, msgParam: Record<string, unknown>): Promise<void> {
  const common = { robotCode: d.clientId, msgKey, msgParam: JSON.stringify(msgParam) };
  if (target.chatId.startsWith(GROUP)) {
    await dingtalkApi(d, "v1.0/robot/groupMessages/send", { ...common, openConversationId: target.chatId.slice(GROUP.length) });
    return;
  }
  const result = await dingtalkApi<{ invalidStaffIdList?: string[] }>(d, "v1.0/robot/oToMessages/batchSend", { ...common, userIds: [target.chatId] });
  if (result.invalidStaffIdList?.length) throw new Error(`DingTalk batchSend: ${target.chatId} is not a staffId this robot can reach`);
}

/**
 * One markdown part: to the message's sessionWebhook while it is valid (a minute of margin: a part posted at
 * the last second would be lost), else through the robot API.
 */
export async function sendMarkdown(d: DingtalkConfig, target: Pick<ChatTarget, "chatId">, markdown: string, webhook?: { url: string; expiresAt: number }): Promise<void> {
  const title = markdownTitle(markdown);
  const text = markdownToDingtalk(markdown);
  if (webhook && webhook.expiresAt - 60_000 > Date.now()) await postSessionWebhook(webhook.url, { msgtype: "markdown", markdown: { title, text } });
  else await sendRobotMessage(d, target, "sampleMarkdown", { title, text });
}

/** A file tools produced: images as a picture message, others as a file, both uploaded first (`media_id`). */
export async function sendDingtalkMedia(d: DingtalkConfig, bucket: R2Bucket, target: Pick<ChatTarget, "chatId">, ref: MediaRef): Promise<void> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "dingtalk_media_missing", key: ref.key }));
    return;
  }
  const bytes = await object.arrayBuffer();
  const name = ref.name ?? ref.key.split("/").pop() ?? "file";
  if (/^image\/(jpeg|png|gif|bmp)$/.test(ref.mimeType)) {
    // sampleImageMsg takes an uploaded media_id as photoURL.
    const mediaId = await uploadDingtalkMedia(d, "image", bytes, name, ref.mimeType);
    await sendRobotMessage(d, target, "sampleImageMsg", { photoURL: mediaId });
    return;
  }
  const mediaId = await uploadDingtalkMedia(d, "file", bytes, name, ref.mimeType || "application/octet-stream");
  const fileType = (/\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1] ?? "bin").toLowerCase();
  await sendRobotMessage(d, target, "sampleFile", { mediaId, fileName: name, fileType });
}
