import { InputFile, type Api } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { ChatTarget, OutboundFile } from "../outbound.ts";
import { withRetryAfter } from "./bot.ts";

/** Bot API upload limits: photos up to 10 MB (larger ones go as documents), any file up to 50 MB. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);

/** Sends one file: JPEG/PNG/WebP images as photos (shown inline), everything else as a document. */
export async function sendFile(api: Api, target: ChatTarget, file: OutboundFile, extra: { caption?: string; reply_markup?: InlineKeyboardMarkup } = {}): Promise<void> {
  const input = new InputFile(file.bytes, file.name);
  const options = { ...(target.threadId ? { message_thread_id: Number(target.threadId) } : {}), ...extra };
  if (PHOTO_TYPES.has(file.mimeType) && file.bytes.byteLength <= MAX_PHOTO_BYTES) {
    await withRetryAfter(() => api.sendPhoto(target.chatId, input, options));
  } else {
    await withRetryAfter(() => api.sendDocument(target.chatId, input, options));
  }
}
