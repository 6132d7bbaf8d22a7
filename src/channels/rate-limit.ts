import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";

/**
 * The limit of the RATE_LIMITER binding, as `[[env.production.ratelimits]]` in wrangler.toml sets it (a Worker
 * cannot read a binding's limit; tests/node/rate-limit-binding.test.ts keeps the two equal).
 */
export const RATE_LIMITER_BINDING_LIMIT = { messages: 20, periodS: 60 } as const;

/**
 * True when this sender has sent more messages than `channels.rateLimit` allows in the current window. The
 * Workers rate-limit binding (deployed) counts only when the config asks for exactly its limit; any other
 * setting is counted by a Durable Object per sender, so the setting means what it says everywhere. Without
 * either binding nothing is limited.
 */
export async function isRateLimited(env: Env, config: Config, key: string): Promise<boolean> {
  const { messages, periodS } = config.channels.rateLimit;
  const bindingFits = messages === RATE_LIMITER_BINDING_LIMIT.messages && periodS === RATE_LIMITER_BINDING_LIMIT.periodS;
  if (env.RATE_LIMITER && bindingFits) return !(await env.RATE_LIMITER.limit({ key })).success;
  if (!env.RATE_LIMITS) return false;
  return !(await env.RATE_LIMITS.getByName(key).hit(messages, periodS * 1000));
}

export const RATE_LIMIT_TEXT = "You're sending messages faster than I can keep up with. Please wait a minute and try again.";
