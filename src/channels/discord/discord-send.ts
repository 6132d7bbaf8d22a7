import type { DiscordConfig } from "../../config/sections/channel-discord.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { DiscordApiError, discordApi, type DiscordFile } from "./discord-api.ts";

/** Discord's message content limit (characters); longer answers continue in follow-up messages. */
export const DISCORD_PART_LIMIT = 2000;

/** Answers never ping anyone: a model writing "@everyone" or "<@id>" stays text. */
const NO_PINGS = { allowed_mentions: { parse: [] } };

/** Discord codes for an interaction token that no longer works (valid for 15 minutes). */
const EXPIRED = new Set([50027, 10015]);

export const tokenExpired = (err: unknown) => err instanceof DiscordApiError && (err.status === 401 || err.status === 404 || EXPIRED.has(err.code ?? 0));

export async function loadFile(bucket: R2Bucket, ref: MediaRef): Promise<DiscordFile | null> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "discord_media_missing", key: ref.key }));
    return null;
  }
  return { name: ref.name ?? ref.key.split("/").pop() ?? "file", mimeType: ref.mimeType || "application/octet-stream", bytes: await object.arrayBuffer() };
}

/** The deferred response of an interaction, replaced by `content` (PATCH …/messages/@original). */
export function editOriginal(d: DiscordConfig, token: string, content: string): Promise<unknown> {
  return discordApi(d, "PATCH", `/webhooks/${d.applicationId}/${token}/messages/@original`, { content, ...NO_PINGS }, { bot: false });
}

/** A further message answering the same interaction (POST /webhooks/{application_id}/{token}). */
export function followUp(d: DiscordConfig, token: string, content: string, file?: DiscordFile): Promise<unknown> {
  return discordApi(d, "POST", `/webhooks/${d.applicationId}/${token}`, { content, ...NO_PINGS }, { bot: false, files: file ? [file] : undefined });
}

/** A message in a channel with the bot token (pairing codes, the message tool, cron; expired interactions). */
export function channelMessage(d: DiscordConfig, channelId: string, content: string, file?: DiscordFile): Promise<unknown> {
  return discordApi(d, "POST", `/channels/${encodeURIComponent(channelId)}/messages`, { content, ...NO_PINGS }, { bot: true, files: file ? [file] : undefined });
}
