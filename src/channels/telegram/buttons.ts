import type { CallbackQuery, InlineKeyboardMarkup } from "grammy/types";
import type { InboundMessage } from "../../session-protocol/inbound.ts";

/** Telegram caps callback_data at 64 bytes; longer labels are cut at a character boundary. */
const MAX_CALLBACK_BYTES = 64;

export function callbackData(label: string): string {
  const bytes = new TextEncoder().encode(label);
  if (bytes.length <= MAX_CALLBACK_BYTES) return label;
  return new TextDecoder().decode(bytes.slice(0, MAX_CALLBACK_BYTES)).replace(/\uFFFD+$/, "");
}

/** Rows of labels → an inline keyboard whose presses send the label back as callback data. */
export function inlineKeyboard(buttons: string[][]): InlineKeyboardMarkup {
  return { inline_keyboard: buttons.filter((row) => row.length).map((row) => row.map((label) => ({ text: label, callback_data: callbackData(label) }))) };
}

/**
 * A button press (callback_query on a message the bot sent) → the channel-neutral message: the pressed label
 * is the text, as if the person had typed it, in the chat (and forum topic) of the message with the keyboard.
 */
export function parseCallbackQuery(query: CallbackQuery, updateId: number): { ok: true; message: InboundMessage } | { ok: false; reason: string } {
  const msg = query.message;
  if (!msg || !query.data) return { ok: false, reason: "button press without message or data" };
  if (query.from.is_bot) return { ok: false, reason: "button press from a bot" };
  const isGroup = msg.chat.type !== "private";
  const name = [query.from.first_name, query.from.last_name].filter(Boolean).join(" ");
  const threadId = "is_topic_message" in msg && msg.is_topic_message && msg.message_thread_id ? String(msg.message_thread_id) : undefined;
  return {
    ok: true,
    message: {
      channel: "telegram",
      chatId: String(msg.chat.id),
      senderId: String(query.from.id),
      senderUsername: query.from.username,
      senderName: name || query.from.username,
      text: query.data,
      threadId,
      isGroup,
      // Pressing the bot's own button is addressed to the bot, also under groupPolicy "mention".
      mentionsBot: true,
      eventId: String(updateId),
      buttonPress: { id: query.id, messageId: String(msg.message_id) },
    },
  };
}
