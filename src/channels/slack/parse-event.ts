import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/** The parts of an Events API `event_callback` body we read. */
export interface SlackEnvelope {
  type: string;
  challenge?: string;
  event_id?: string;
  authorizations?: Array<{ user_id?: string }>;
  event?: SlackEvent;
}

export interface SlackEvent {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  channel_type?: string;
  files?: Array<{ id: string; name?: string; mimetype?: string; url_private_download?: string; url_private?: string; size?: number }>;
}

export type ParsedEvent = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/** The bot user id as Slack tells it in the envelope (saves an auth.test call). */
export const botUserIdOf = (envelope: SlackEnvelope) => envelope.authorizations?.find((a) => a.user_id)?.user_id;

/**
 * `message` (DMs; channel messages under `open`/`allowlist`) and `app_mention` events → the channel-neutral
 * message. A channel message that mentions the bot arrives twice (as `message` and as `app_mention`, with
 * different event ids); only the `app_mention` copy is used.
 */
export function parseSlackEvent(envelope: SlackEnvelope, botUserId: string, opts: { replyInThread: boolean }): ParsedEvent {
  const event = envelope.event;
  if (!event || (event.type !== "message" && event.type !== "app_mention")) return { ok: false, reason: `unsupported event ${event?.type ?? "none"}` };
  if (event.bot_id || !event.user || event.user === botUserId) return { ok: false, reason: "message from a bot" };
  if (event.subtype && event.subtype !== "file_share" && event.subtype !== "thread_broadcast") return { ok: false, reason: `subtype ${event.subtype}` };
  const isGroup = event.channel_type ? event.channel_type !== "im" : !event.channel.startsWith("D");
  const mention = `<@${botUserId}>`;
  const rawText = event.text ?? "";
  if (event.type === "message" && isGroup && rawText.includes(mention)) return { ok: false, reason: "mention handled as app_mention" };
  const files: PlatformFile[] = (event.files ?? [])
    .filter((f) => f.url_private_download || f.url_private)
    .map((f) => ({ id: f.id, name: f.name, mimeType: f.mimetype, url: f.url_private_download ?? f.url_private, size: f.size }));
  const text = rawText.split(mention).join("").replace(/[ \t]+/g, " ").trim().replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  if (!text && !files.length) return { ok: false, reason: "empty message" };
  // Channel conversations are answered in a thread (one session per thread); DMs only when already threaded.
  const threadId = event.thread_ts ?? (isGroup && opts.replyInThread ? event.ts : undefined);
  return {
    ok: true,
    files,
    message: {
      channel: "slack",
      chatId: event.channel,
      senderId: event.user,
      text,
      threadId,
      isGroup,
      mentionsBot: event.type === "app_mention" || rawText.includes(mention),
      messageId: event.ts,
      eventId: envelope.event_id,
    },
  };
}

export function slackSessionKey(message: Pick<InboundMessage, "chatId" | "threadId">): string {
  return message.threadId ? `slack:${message.chatId}:${message.threadId}` : `slack:${message.chatId}`;
}
