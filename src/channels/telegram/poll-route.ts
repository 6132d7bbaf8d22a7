import { GrammyError, HttpError } from "grammy";
import { Hono } from "hono";
import type { AppEnv } from "../../app-env.ts";
import { matchesSecret } from "../../security/timing-safe-equal.ts";
import { receiveInbound } from "../inbound-pipeline.ts";
import { ALLOWED_UPDATES, telegramBot } from "./bot.ts";
import { telegramChannel } from "./telegram-channel.ts";
import { advancePollOffset, readPollOffset } from "./poll-offset.ts";

/** The variable `npm start` sets to a fresh random value on every start (scripts/start-gateway.ts). */
export const LOCAL_POLL_SECRET_VAR = "NANOBOT_LOCAL_POLL_SECRET";

/** Telegram holds a long poll up to 50 s; 25 s stays well inside the poller's own request timeout. */
const MAX_POLL_TIMEOUT_S = 25;

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/**
 * `POST /local/telegram/poll` (bearer = NANOBOT_LOCAL_POLL_SECRET): one `getUpdates` long poll for the local
 * poller (scripts/lib/telegram-poller.ts), so a bot can be tried under `npm start` without a public URL. The
 * route exists only when that variable is set: a deployed Worker answers 404 (it is reached by webhooks, and
 * a Worker cannot keep a poll loop running between requests). Each update goes through the same pipeline as
 * a webhook delivery; the offset advances only after the update is stored, one update at a time.
 */
export const telegramPollRoute = new Hono<AppEnv>().post("/poll", async (c) => {
  const secret = c.env[LOCAL_POLL_SECRET_VAR];
  if (typeof secret !== "string" || !secret) return c.notFound();
  const given = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
  if (!(await matchesSecret(given, secret))) return c.json({ state: "error", error: "wrong local poll secret" }, 401);

  const config = c.get("config");
  const t = config.channels.telegram;
  const access = telegramChannel.access(config);
  if (!access || !t.token) return c.json({ state: "disabled", reason: access ? "channels.telegram.token is empty" : "channels.telegram.enabled is false" });
  if (t.mode === "webhook") return c.json({ state: "webhook", mode: t.mode });

  const timeout = Math.min(MAX_POLL_TIMEOUT_S, Math.max(0, Number(c.req.query("timeout") ?? MAX_POLL_TIMEOUT_S) || 0));
  let bot;
  try {
    bot = await telegramBot(t);
  } catch (err) {
    return c.json({ state: "error", mode: t.mode, error: `getMe failed: ${describe(err)}` }, 502);
  }
  const botId = String(bot.botInfo.id);
  const about = { mode: t.mode, bot: `@${bot.botInfo.username}` };
  const offset = await readPollOffset(c.env.DB, botId);
  let updates;
  try {
    updates = await bot.api.getUpdates({ offset, timeout, limit: 100, allowed_updates: ALLOWED_UPDATES });
  } catch (err) {
    const conflict = err instanceof GrammyError && err.error_code === 409;
    return c.json({ state: conflict ? "conflict" : "error", ...about, error: describe(err) }, conflict ? 409 : 502);
  }
  let stored = 0;
  for (const update of updates) {
    try {
      const result = await receiveInbound(telegramChannel, { rawBody: JSON.stringify(update), env: c.env, config }, access);
      if (result.kind === "done" && result.status === "stored") stored++;
    } catch (err) {
      // Not stored: the offset stays, so the next getUpdates returns this update again (nothing is lost).
      log({ event: "telegram_poll_failed", update: update.update_id, error: describe(err) });
      return c.json({ state: "error", ...about, error: `update ${update.update_id} was not stored: ${describe(err)}` }, 502);
    }
    await advancePollOffset(c.env.DB, botId, update.update_id + 1);
  }
  if (updates.length) log({ event: "telegram_poll", received: updates.length, stored });
  return c.json({ state: "polling", ...about, received: updates.length, stored, offset: updates.length ? updates[updates.length - 1].update_id + 1 : (offset ?? null) });
});

function describe(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code} ${err.description}`;
  if (err instanceof HttpError) return `${err.message} (${String((err.error as Error)?.message ?? err.error)})`.slice(0, 300);
  return String((err as Error)?.message ?? err).slice(0, 300);
}
