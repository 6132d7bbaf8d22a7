import type { SlackConfig } from "../../config/sections/channels.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import type { ChatTarget } from "../outbound.ts";
import { SlackApiError, slackApi } from "./slack-api.ts";

/**
 * Shares one stored file in the chat with Slack's current upload flow (files.upload was retired in 2025):
 * `files.getUploadURLExternal` → POST the bytes to the returned URL → `files.completeUploadExternal` with the
 * channel (and thread). A file no longer in R2 is skipped with a log line.
 */
export async function uploadSlackFile(slack: SlackConfig, bucket: R2Bucket, target: ChatTarget, ref: MediaRef): Promise<void> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "slack_media_missing", channel: target.chatId, key: ref.key }));
    return;
  }
  const bytes = await object.arrayBuffer();
  const filename = ref.name ?? ref.key.split("/").pop() ?? "file";
  const { upload_url, file_id } = await slackApi<{ upload_url: string; file_id: string }>(slack, "files.getUploadURLExternal", { filename, length: String(bytes.byteLength) }, { form: true });
  const res = await fetch(upload_url, { method: "POST", headers: { "content-type": ref.mimeType || "application/octet-stream" }, body: bytes });
  await res.body?.cancel();
  if (!res.ok) throw new SlackApiError("file upload", `HTTP ${res.status}`);
  await slackApi(
    slack,
    "files.completeUploadExternal",
    { files: [{ id: file_id, title: filename }], channel_id: target.chatId, ...(target.threadId ? { thread_ts: target.threadId } : {}) },
    { form: true },
  );
}
