import { type Api, InputFile } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { sniffImage } from "../../workspace/content-type.ts";
import type { ChatTarget } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import { isMessageGone, isNotModified, isParseError, withRetryAfter } from "./bot.ts";
import { markdownToTelegramHtml } from "./markdown-to-html.ts";

/**
 * Telegram allows 4096 characters per message, counted after HTML parsing. Parts are cut from the Markdown
 * source at 4000: the rendered text is never longer than its source, and the margin absorbs the rest.
 */
export const TELEGRAM_PART_LIMIT = 4000;
export const TELEGRAM_MAX_CHARS = 4096;

export const splitForTelegram = (markdown: string) => splitMessage(markdown, TELEGRAM_PART_LIMIT);

function threadOf(target: ChatTarget) {
  return target.threadId ? { message_thread_id: Number(target.threadId) } : {};
}

/** Sends one part as HTML; if Telegram cannot parse it after all, sends the same part as plain text. */
export async function sendPart(api: Api, target: ChatTarget, markdown: string, replyTo?: string, keyboard?: InlineKeyboardMarkup): Promise<Message.TextMessage> {
  const extra = {
    ...threadOf(target),
    ...(keyboard ? { reply_markup: keyboard } : {}),
    ...(replyTo ? { reply_parameters: { message_id: Number(replyTo), allow_sending_without_reply: true } } : {}),
  };
  try {
    return await withRetryAfter(() => api.sendMessage(target.chatId, markdownToTelegramHtml(markdown), { ...extra, parse_mode: "HTML" }));
  } catch (err) {
    if (!isParseError(err)) throw err;
    console.log(JSON.stringify({ event: "telegram_html_fallback", chat: target.chatId }));
    return withRetryAfter(() => api.sendMessage(target.chatId, markdown, extra));
  }
}

/**
 * Replaces a message's text with one rendered part (used to finish a streamed preview). False when the message
 * is gone (the user deleted the preview): the caller sends the part as a new message instead.
 */
export async function editPart(api: Api, chatId: string, messageId: number, markdown: string): Promise<boolean> {
  try {
    await withRetryAfter(() => api.editMessageText(chatId, messageId, markdownToTelegramHtml(markdown), { parse_mode: "HTML" }));
  } catch (err) {
    if (isNotModified(err)) return true;
    if (isMessageGone(err)) return false;
    if (!isParseError(err)) throw err;
    try {
      await withRetryAfter(() => api.editMessageText(chatId, messageId, markdown));
    } catch (plainErr) {
      if (!isNotModified(plainErr)) throw plainErr;
    }
  }
  return true;
}

/** A whole Markdown text as ordered parts. */
export async function sendMarkdown(api: Api, target: ChatTarget, markdown: string): Promise<void> {
  for (const part of splitForTelegram(markdown)) await sendPart(api, target, part);
}

/** sendPhoto takes photos up to 10 MB in these formats; anything else goes as a document (up to 50 MB). */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/**
 * Uploads one stored file (multipart, as the Bot API requires for new files): images as a photo, the rest as
 * a document. A file no longer in R2 is skipped with a log line rather than failing the whole delivery.
 */
export async function sendMediaFile(api: Api, bucket: R2Bucket, target: ChatTarget, ref: MediaRef): Promise<void> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "telegram_media_missing", chat: target.chatId, key: ref.key }));
    return;
  }
  const bytes = new Uint8Array(await object.arrayBuffer());
  const file = new InputFile(bytes, ref.name ?? ref.key.split("/").pop());
  const extra = threadOf(target);
  // The bytes decide, not the name: a PNG saved as .bin still goes out as a photo.
  if (PHOTO_TYPES.has(sniffImage(bytes) ?? ref.mimeType) && bytes.length <= PHOTO_MAX_BYTES) await withRetryAfter(() => api.sendPhoto(target.chatId, file, extra));
  else await withRetryAfter(() => api.sendDocument(target.chatId, file, extra));
}
