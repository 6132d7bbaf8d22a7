import { GrammyError, type Api } from "grammy";
import type { ChatTarget } from "../outbound.ts";
import { createStatusLine, type StatusLine } from "../progress/status-line.ts";
import { isNotModified, retryAfterOf } from "./bot.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
const threadOf = (target: ChatTarget) => (target.threadId ? { message_thread_id: Number(target.threadId) } : {});

/**
 * The turn's status line as one plain-text Telegram message: sent on the first update, edited after, deleted
 * when the answer is delivered. Calls go out without waiting out 429s: the status line pauses instead.
 */
export function telegramStatusLine(api: Promise<Api>, target: ChatTarget, intervalMs: number): StatusLine {
  let messageId: number | undefined;
  return createStatusLine({
    channel: "telegram",
    // Telegram allows about one message edit per second per chat.
    intervalMs: Math.max(1000, intervalMs),
    retryAfterMs: (err) => {
      const seconds = retryAfterOf(err);
      return seconds === null ? null : seconds * 1000;
    },
    sink: {
      async show(text) {
        const client = await api;
        if (messageId === undefined) {
          messageId = (await client.sendMessage(target.chatId, text, { ...threadOf(target), disable_notification: true })).message_id;
          return;
        }
        try {
          await client.editMessageText(target.chatId, messageId, text);
        } catch (err) {
          if (!isNotModified(err)) throw err;
        }
      },
      async remove() {
        if (messageId !== undefined) await (await api).deleteMessage(target.chatId, messageId);
      },
    },
  });
}

/**
 * Sets the bot's reaction on a message ("" clears it). Reactions are a courtesy: a failure is logged, never
 * thrown. Telegram accepts only its own list of reaction emoji; when it refuses one (REACTION_INVALID) the
 * reaction is cleared instead, so a receipt mark does not stay on an answered message.
 */
export async function setReaction(api: Api, chatId: string, messageId: string | undefined, emoji: string): Promise<void> {
  if (!messageId) return;
  const set = (e: string) => api.setMessageReaction(chatId, Number(messageId), e ? [{ type: "emoji", emoji: e as never }] : []);
  try {
    await set(emoji);
  } catch (err) {
    const invalid = err instanceof GrammyError && /REACTION_INVALID/i.test(err.description);
    log({ event: "telegram_reaction_failed", emoji, invalid, error: String(err).slice(0, 200) });
    if (invalid && emoji) await set("").catch(() => undefined);
  }
}
