import type { QqConfig } from "../../config/sections/channel-qq.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { QqApiError, qqApi } from "./qq-api.ts";
import { sceneOf } from "./parse-event.ts";

/** QQ refuses a second message with the same msg_id + msg_seq (code 40054005): that part was already delivered. */
const DUPLICATE_SEQ = 40054005;

/** A passive reply names the message it answers (msg_id) and, for each further message, a new msg_seq. */
export interface ReplyRef {
  msgId?: string;
  seq: number;
}

function endpoint(chatId: string): { path: string; v2: boolean } {
  const target = sceneOf(chatId);
  if (!target) throw new Error(`not a QQ chat id: ${chatId}`);
  const id = encodeURIComponent(target.id);
  switch (target.scene) {
    case "c2c":
      return { path: `/v2/users/${id}/messages`, v2: true };
    case "group":
      return { path: `/v2/groups/${id}/messages`, v2: true };
    case "channel":
      return { path: `/channels/${id}/messages`, v2: false };
    case "dm":
      return { path: `/dms/${id}/messages`, v2: false };
  }
}

async function post(qq: QqConfig, path: string, body: Record<string, unknown>): Promise<void> {
  try {
    await qqApi(qq, "POST", path, body);
  } catch (err) {
    if (err instanceof QqApiError && err.code === DUPLICATE_SEQ) return;
    throw err;
  }
}

/** One text message (already plain text and within the limit). Guild channels and DMs take msg_id but no msg_seq. */
export async function sendQqText(qq: QqConfig, chatId: string, content: string, ref: ReplyRef): Promise<void> {
  const { path, v2 } = endpoint(chatId);
  const reply = ref.msgId ? (v2 ? { msg_id: ref.msgId, msg_seq: ref.seq } : { msg_id: ref.msgId }) : {};
  await post(qq, path, v2 ? { content, msg_type: 0, ...reply } : { content, ...reply });
}

/** QQ rich-media file types for /files: 1 image, 2 video, 3 voice, 4 file. */
const fileType = (mime: string) => (mime.startsWith("image/") ? 1 : mime.startsWith("video/") ? 2 : mime.startsWith("audio/") ? 3 : 4);

function base64(bytes: ArrayBuffer): string {
  const view = new Uint8Array(bytes);
  let binary = "";
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * A stored file to a C2C or group chat: uploaded as base64 to `/files` (`srv_send_msg: false`), then sent as a
 * media message (msg_type 7). Guild channels and DMs have no such upload: the file is named in a text instead.
 */
export async function sendQqMedia(qq: QqConfig, bucket: R2Bucket, chatId: string, ref: MediaRef, reply: ReplyRef): Promise<void> {
  const target = sceneOf(chatId);
  const name = ref.name ?? ref.key.split("/").pop() ?? "file";
  if (!target || (target.scene !== "c2c" && target.scene !== "group")) return sendQqText(qq, chatId, `[File not sent: ${name} (QQ guild chats take no uploads from bots)]`, reply);
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "qq_media_missing", key: ref.key }));
    return;
  }
  const type = fileType(ref.mimeType);
  const base = target.scene === "c2c" ? `/v2/users/${encodeURIComponent(target.id)}` : `/v2/groups/${encodeURIComponent(target.id)}`;
  // An image sent with file_name shows as a file attachment instead of inline, so only other files carry it.
  const uploaded = await qqApi<{ file_info: string }>(qq, "POST", `${base}/files`, { file_type: type, file_data: base64(await object.arrayBuffer()), srv_send_msg: false, ...(type === 4 ? { file_name: name } : {}) });
  await post(qq, `${base}/messages`, { msg_type: 7, content: " ", media: { file_info: uploaded.file_info }, ...(reply.msgId ? { msg_id: reply.msgId, msg_seq: reply.seq } : {}) });
}
