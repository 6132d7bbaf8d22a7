import { Bot, GrammyError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { TelegramConfig } from "../../config/sections/channels.ts";

/** Update types the bot asks for, by webhook (setWebhook) and by polling (getUpdates) alike; callback_query = button presses. */
export const ALLOWED_UPDATES: ["message", "callback_query"] = ["message", "callback_query"];

const bots = new Map<string, Promise<Bot>>();

/**
 * A grammY Bot for this token and API root, kept per isolate: `getMe` runs once per isolate (not per update)
 * and its answer is passed as `botInfo`, so the bot never calls it again. A failed getMe is not cached.
 */
export function telegramBot(config: TelegramConfig): Promise<Bot> {
  const key = `${config.apiRoot}\u0000${config.token}`;
  let bot = bots.get(key);
  if (!bot) {
    bot = (async () => {
      const probe = new Bot(config.token, { client: { apiRoot: config.apiRoot } });
      const botInfo: UserFromGetMe = await probe.api.getMe();
      return new Bot(config.token, { client: { apiRoot: config.apiRoot }, botInfo });
    })();
    bots.set(key, bot);
    bot.catch(() => bots.delete(key));
  }
  return bot;
}

/** Longest Retry-After we wait for inside one delivery; longer waits are left to the session's retry alarm. */
const MAX_INLINE_RETRY_S = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs a Bot API call, waiting out 429 `retry_after` (up to 3 times) as Telegram asks. */
export async function withRetryAfter<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retryAfter = err instanceof GrammyError && err.error_code === 429 ? (err.parameters.retry_after ?? 1) : null;
      if (retryAfter === null || attempt >= attempts || retryAfter > MAX_INLINE_RETRY_S) throw err;
      console.log(JSON.stringify({ event: "telegram_retry_after", method: err instanceof GrammyError ? err.method : "", retryAfterS: retryAfter }));
      await sleep(retryAfter * 1000);
    }
  }
}

export const isParseError = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /can't parse entities|unsupported start tag|can't find end/i.test(err.description);
export const isMessageGone = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /message to edit not found|message_id_invalid/i.test(err.description);
export const isNotModified = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
export const retryAfterOf = (err: unknown) => (err instanceof GrammyError && err.error_code === 429 ? (err.parameters.retry_after ?? 1) : null);
