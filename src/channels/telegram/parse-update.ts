import type { Message, MessageEntity, Update } from "grammy/types";
import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

export interface BotIdentity {
  id: number;
  username: string;
}

export type ParsedUpdate = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/** The Bot API refuses getFile above 20 MB. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

function filesOf(msg: Message): PlatformFile[] {
  const files: PlatformFile[] = [];
  if (msg.photo?.length) {
    const largest = msg.photo[msg.photo.length - 1];
    files.push({ id: largest.file_id, mimeType: "image/jpeg", name: "photo.jpg", size: largest.file_size });
  }
  if (msg.voice) files.push({ id: msg.voice.file_id, mimeType: msg.voice.mime_type ?? "audio/ogg", name: "voice.ogg", size: msg.voice.file_size, durationS: msg.voice.duration });
  if (msg.audio) files.push({ id: msg.audio.file_id, mimeType: msg.audio.mime_type ?? "audio/mpeg", name: msg.audio.file_name, size: msg.audio.file_size, durationS: msg.audio.duration });
  if (msg.document) files.push({ id: msg.document.file_id, mimeType: msg.document.mime_type ?? "application/octet-stream", name: msg.document.file_name, size: msg.document.file_size });
  return files.filter((f) => (f.size ?? 0) <= MAX_FILE_BYTES);
}

function mentions(text: string, entities: MessageEntity[], bot: BotIdentity): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  return entities.some((e) => {
    if (e.type === "text_mention") return e.user.id === bot.id;
    const piece = text.slice(e.offset, e.offset + e.length).toLowerCase();
    if (e.type === "mention") return piece === handle;
    if (e.type === "bot_command") return piece.endsWith(handle);
    return false;
  });
}

/** A Telegram update → the channel-neutral message, or why it is not one (edits, service messages, bots). */
export function parseTelegramUpdate(update: Update, bot: BotIdentity): ParsedUpdate {
  const msg = update.message;
  if (!msg) return { ok: false, reason: `unsupported update (${Object.keys(update).filter((k) => k !== "update_id").join(",") || "empty"})` };
  if (!msg.from || msg.from.is_bot) return { ok: false, reason: "message from a bot or without sender" };
  const rawText = msg.text ?? msg.caption ?? "";
  const entities = msg.entities ?? msg.caption_entities ?? [];
  const files = filesOf(msg);
  if (!rawText.trim() && !files.length) return { ok: false, reason: "no text or supported media" };
  const isGroup = msg.chat.type !== "private";
  const repliesToBot = msg.reply_to_message?.from?.id === bot.id;
  const mentionsBot = isGroup && (repliesToBot || mentions(rawText, entities, bot));
  // The model does not need the bot's own handle ("@mybot what's up" → "what's up").
  const text = isGroup ? rawText.replace(new RegExp(`(^|\\s)@${bot.username}\\b`, "gi"), "$1").trim() : rawText;
  const name = [msg.from.first_name, msg.from.last_name].filter(Boolean).join(" ");
  return {
    ok: true,
    files,
    message: {
      channel: "telegram",
      chatId: String(msg.chat.id),
      senderId: String(msg.from.id),
      senderUsername: msg.from.username,
      senderName: name || msg.from.username,
      text,
      threadId: msg.is_topic_message && msg.message_thread_id ? String(msg.message_thread_id) : undefined,
      isGroup,
      mentionsBot,
      replyTo: msg.reply_to_message ? String(msg.reply_to_message.message_id) : undefined,
      messageId: String(msg.message_id),
      eventId: String(update.update_id),
    },
  };
}

/** Forum topics are sessions of their own, as in nanobot. */
export function telegramSessionKey(message: Pick<InboundMessage, "chatId" | "threadId">): string {
  return message.threadId ? `telegram:${message.chatId}:topic:${message.threadId}` : `telegram:${message.chatId}`;
}
