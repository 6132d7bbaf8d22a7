import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";

/**
 * True when this sender has sent more messages than allowed in the current window. Deployed: the Workers
 * rate-limit binding (its limit is set in wrangler.toml); locally a Durable Object counter per sender with
 * `channels.rateLimit`. Without either binding nothing is limited.
 */
export async function isRateLimited(env: Env, config: Config, key: string): Promise<boolean> {
  if (env.RATE_LIMITER) return !(await env.RATE_LIMITER.limit({ key })).success;
  if (!env.RATE_LIMITS) return false;
  const { messages, periodS } = config.channels.rateLimit;
  return !(await env.RATE_LIMITS.getByName(key).hit(messages, periodS * 1000));
}

export const RATE_LIMIT_TEXT = "You're sending messages faster than I can keep up with. Please wait a minute and try again.";
