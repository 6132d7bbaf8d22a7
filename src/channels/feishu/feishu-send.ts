import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { feishuApi } from "./feishu-api.ts";

/** What one message carries: `msg_type` and its JSON `content` string. */
export interface FeishuContent {
  msg_type: string;
  content: string;
}

/**
 * Posts one message: as a reply to `replyTo` when there is one (in its thread for topics), else to the chat.
 * `uuid` makes Feishu drop a repeat of the same message within an hour, so a retried delivery never shows twice.
 */
export async function postFeishu(f: FeishuConfig, to: { chatId: string; replyTo?: string; inThread?: boolean }, message: FeishuContent, uuid?: string): Promise<string | undefined> {
  const body = { ...message, ...(uuid ? { uuid } : {}) };
  const data = to.replyTo
    ? await feishuApi<{ message_id?: string }>(f, "POST", `im/v1/messages/${encodeURIComponent(to.replyTo)}/reply`, { ...body, reply_in_thread: Boolean(to.inThread) })
    : await feishuApi<{ message_id?: string }>(f, "POST", "im/v1/messages?receive_id_type=chat_id", { ...body, receive_id: to.chatId });
  return data.message_id;
}

/** Feishu's message image types (im/v1/images takes JPEG, PNG, WEBP, GIF, TIFF, BMP, ICO up to 10 MB). */
const IMAGE_TYPES = /^image\/(jpeg|png|webp|gif|tiff|bmp|x-icon|vnd\.microsoft\.icon)$/;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/**
 * Uploads a stored file and returns the message that shows it: an image where Feishu takes it as one, else a
 * file (`file_type: stream`, up to 30 MB). null when the file is no longer in R2.
 */
export async function uploadFeishuMedia(f: FeishuConfig, bucket: R2Bucket, ref: MediaRef): Promise<FeishuContent | null> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "feishu_media_missing", key: ref.key }));
    return null;
  }
  const bytes = await object.arrayBuffer();
  const name = ref.name ?? ref.key.split("/").pop() ?? "file";
  const blob = new Blob([bytes], { type: ref.mimeType || "application/octet-stream" });
  if (IMAGE_TYPES.test(ref.mimeType) && bytes.byteLength <= MAX_IMAGE_BYTES) {
    const form = new FormData();
    form.set("image_type", "message");
    form.set("image", blob, name);
    const { image_key } = await feishuApi<{ image_key: string }>(f, "POST", "im/v1/images", form);
    return { msg_type: "image", content: JSON.stringify({ image_key }) };
  }
  const form = new FormData();
  form.set("file_type", "stream");
  form.set("file_name", name);
  form.set("file", blob, name);
  const { file_key } = await feishuApi<{ file_key: string }>(f, "POST", "im/v1/files", form);
  return { msg_type: "file", content: JSON.stringify({ file_key }) };
}
