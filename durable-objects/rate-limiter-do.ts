import { DurableObject } from "cloudflare:workers";
import type { RateLimiterRpc } from "../src/bindings.ts";
import type { Env } from "../src/env.ts";

/**
 * A fixed-window message counter, one object per sender. Used where the Workers rate-limit binding is not
 * bound (local `wrangler dev`, tests) and wherever `channels.rateLimit` differs from that binding's limit.
 */
export class RateLimiterDO extends DurableObject<Env> implements RateLimiterRpc {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (window_start INTEGER PRIMARY KEY, count INTEGER NOT NULL)");
  }

  /** Counts one message; true while the sender is within `limit` messages per `periodMs`. */
  async hit(limit: number, periodMs: number, now = Date.now()): Promise<boolean> {
    const windowStart = now - (now % periodMs);
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM hits WHERE window_start < ?", windowStart);
    const { count } = sql
      .exec("INSERT INTO hits (window_start, count) VALUES (?, 1) ON CONFLICT(window_start) DO UPDATE SET count = count + 1 RETURNING count", windowStart)
      .one() as { count: number };
    return count <= limit;
  }
}
