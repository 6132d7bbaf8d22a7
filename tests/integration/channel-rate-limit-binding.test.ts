import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import { RATE_LIMITER_BINDING_LIMIT } from "../../src/channels/rate-limit.ts";
import worker from "../../src/index.ts";
import { approveSender, sentTexts, telegramUpdate, uniqueId } from "../support/channel-script.ts";

/**
 * The Workers rate-limit binding as a deployed Worker sees it: `limit({key})` answers whether the key is within
 * the limit wrangler.toml gave it. Miniflare binds none in tests; this one records the keys it was asked about.
 */
function rateLimiterBinding(success: boolean) {
  const keys: string[] = [];
  return { keys, binding: { limit: async ({ key }: { key: string }) => (keys.push(key), { success }) } as unknown as RateLimit };
}

/** A Telegram webhook delivery to the Worker running with `rateLimit` and a RATE_LIMITER binding. */
async function postWith(rateLimit: { messages: number; periodS: number }, binding: RateLimit, update: unknown): Promise<number> {
  const config = JSON.parse(env.NANOBOT_CONFIG as string);
  config.channels.rateLimit = rateLimit;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request("https://gw/webhooks/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" },
      body: JSON.stringify(update),
    }),
    { ...env, NANOBOT_CONFIG: JSON.stringify(config), RATE_LIMITER: binding },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res.status;
}

describe("channels.rateLimit with the RATE_LIMITER binding", () => {
  it("should know the binding's limit exactly as wrangler.toml sets it", () => {
    const block = /\[\[env\.production\.ratelimits\]\][^[]*?name = "RATE_LIMITER"[^[]*?simple = \{ limit = (\d+), period = (\d+) \}/.exec(wranglerToml);
    expect(block).not.toBeNull();
    expect({ messages: Number(block![1]), periodS: Number(block![2]) }).toEqual(RATE_LIMITER_BINDING_LIMIT);
  });

  it("should enforce a setting that differs from the binding's limit with the per-sender counter, not the binding", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const { keys, binding } = rateLimiterBinding(true);
    // An hour-long window, so five quick messages cannot straddle two windows.
    for (let i = 0; i < 5; i++) expect(await postWith({ messages: 3, periodS: 3600 }, binding, telegramUpdate({ chatId: chat, text: "/help" }))).toBe(200);
    const replies = await sentTexts(chat);
    expect(replies.filter((r) => r.includes("/pairing"))).toHaveLength(3);
    expect(replies.filter((r) => r.includes("faster than I can keep up"))).toHaveLength(1);
    expect(keys).toEqual([]);
  });

  it("should let the binding decide when the setting is the binding's own limit", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const { keys, binding } = rateLimiterBinding(false);
    expect(await postWith(RATE_LIMITER_BINDING_LIMIT, binding, telegramUpdate({ chatId: chat, text: "/help" }))).toBe(200);
    expect(keys).toEqual([`telegram:${chat}`]);
    expect(await sentTexts(chat)).toEqual([expect.stringContaining("faster than I can keep up")]);
  });
});
