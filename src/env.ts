import type { DiscordGatewayRpc, RateLimiterRpc, SessionRpc, WebSocketHubRpc } from "./bindings.ts";

/** Bindings and variables of the Worker (see wrangler.toml). */
export interface Env {
  SESSIONS: DurableObjectNamespace<SessionRpc>;
  /** One WebUI hub per client id: connect tokens and that client's open sockets. */
  WEBSOCKETS: DurableObjectNamespace<WebSocketHubRpc>;
  /** The built WebUI (wrangler.toml [assets]); absent when the assets were not built. */
  ASSETS?: Fetcher;
  /** Per-sender message counters for the chat rate limit where RATE_LIMITER is not bound. */
  RATE_LIMITS?: DurableObjectNamespace<RateLimiterRpc>;
  /** Workers rate-limit binding; bound only in deployed Workers (see wrangler.toml). */
  RATE_LIMITER?: RateLimit;
  /** The Discord Gateway connection (`channels.discord.gateway: true`), one object named "main". */
  DISCORD_GATEWAY?: DurableObjectNamespace<DiscordGatewayRpc>;
  DB: D1Database;
  WORKSPACE: R2Bucket;
  /** Workers AI; bound only in deployed Workers (see wrangler.toml). */
  AI?: Ai;
  /** JSON config overriding the bundled nanobot.config.json. */
  NANOBOT_CONFIG?: string;
  /** Any other var or secret, available to `${VAR}` interpolation. */
  [key: string]: unknown;
}
