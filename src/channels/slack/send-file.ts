import type { SlackConfig } from "../../config/sections/channels.ts";
import type { ChatTarget, OutboundFile } from "../outbound.ts";
import { SlackApiError, slackApi } from "./slack-api.ts";

/**
 * Uploads one file into a conversation with Slack's external upload flow (files.upload is retired):
 * files.getUploadURLExternal → POST the bytes to the returned URL → files.completeUploadExternal, which
 * shares it in the channel (and thread). Images are shown inline by Slack itself.
 */
export async function sendFile(slack: SlackConfig, target: ChatTarget, file: OutboundFile): Promise<void> {
  // getUploadURLExternal takes form-encoded arguments only (no JSON body).
  const res = await fetch(`${slack.apiRoot.replace(/\/+$/, "")}/files.getUploadURLExternal`, {
    method: "POST",
    headers: { authorization: `Bearer ${slack.botToken}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ filename: file.name, length: String(file.bytes.byteLength) }),
  });
  const grant = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as { ok: boolean; error?: string; upload_url?: string; file_id?: string };
  if (!grant.ok || !grant.upload_url || !grant.file_id) throw new SlackApiError("files.getUploadURLExternal", grant.error ?? "no upload_url");
  const upload = await fetch(grant.upload_url, { method: "POST", headers: { "content-type": file.mimeType }, body: file.bytes });
  await upload.body?.cancel();
  if (!upload.ok) throw new SlackApiError("files.getUploadURLExternal", `upload answered HTTP ${upload.status}`);
  await slackApi(slack, "files.completeUploadExternal", {
    files: [{ id: grant.file_id, title: file.name }],
    channel_id: target.chatId,
    ...(target.threadId ? { thread_ts: target.threadId } : {}),
  });
}
