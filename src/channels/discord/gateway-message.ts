import type { DiscordConfig } from "../../config/sections/channel-discord.ts";
import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { ChannelAdapter, PlatformFile } from "../types.ts";
import { discordChannel } from "./discord-channel.ts";

/** Gateway intents (discord.com/developers/docs/events/gateway#gateway-intents). */
const GUILD_MESSAGES = 1 << 9;
const DIRECT_MESSAGES = 1 << 12;
/** Privileged: only needed to read server messages that do not mention the bot (groupPolicy "open"). */
const MESSAGE_CONTENT = 1 << 15;

export const gatewayIntents = (d: DiscordConfig) => GUILD_MESSAGES | DIRECT_MESSAGES | (d.groupPolicy === "open" ? MESSAGE_CONTENT : 0);

/** The parts of a MESSAGE_CREATE dispatch we read. */
export interface GatewayMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  content?: string;
  author?: { id: string; username?: string; global_name?: string | null; bot?: boolean };
  mentions?: Array<{ id: string }>;
  referenced_message?: { author?: { id: string } } | null;
  attachments?: Array<{ id: string; filename?: string; content_type?: string; size?: number; url?: string }>;
  webhook_id?: string;
}

type Parsed = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/**
 * A plain message from the Gateway → the channel-neutral message. DMs and server messages share the channel
 * id as chat (as interactions do, so `/ask` and plain messages in one channel are one session). There is no
 * interaction token: the answer is posted in the channel with the bot token.
 */
export function parseGatewayMessage(d: GatewayMessage, botId: string): Parsed {
  if (!d.author || d.author.bot || d.webhook_id) return { ok: false, reason: "message from a bot or webhook" };
  if (d.author.id === botId) return { ok: false, reason: "own message" };
  const mention = new RegExp(`<@!?${botId}>`, "g");
  const raw = d.content ?? "";
  const mentionsBot = (d.mentions ?? []).some((m) => m.id === botId) || mention.test(raw) || d.referenced_message?.author?.id === botId;
  const text = raw.replace(mention, "").replace(/[ \t]+/g, " ").trim();
  const files = (d.attachments ?? []).filter((a) => a.url).map((a) => ({ id: a.id, name: a.filename, mimeType: a.content_type, size: a.size, url: a.url }));
  if (!text && !files.length) return { ok: false, reason: "empty message" };
  return {
    ok: true,
    files,
    message: {
      channel: "discord",
      chatId: d.channel_id,
      senderId: d.author.id,
      senderUsername: d.author.username,
      senderName: d.author.global_name ?? d.author.username,
      text,
      isGroup: Boolean(d.guild_id),
      ...(d.guild_id ? { groupIds: [d.guild_id] } : {}),
      mentionsBot,
      eventId: d.id,
    },
  };
}

/** The Discord channel with the Gateway's parse: the same access control, dedupe, files and replies. */
export function gatewayAdapter(botId: string): ChannelAdapter {
  return {
    ...discordChannel,
    async parse({ rawBody }) {
      const parsed = parseGatewayMessage(JSON.parse(rawBody) as GatewayMessage, botId);
      return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
    },
  };
}
