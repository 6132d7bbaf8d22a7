import type { SessionDO } from "../durable-objects/session-do.ts";

/** Bindings and variables of the Worker (see wrangler.toml). */
export interface Env {
  SESSIONS: DurableObjectNamespace<SessionDO>;
  DB: D1Database;
  WORKSPACE: R2Bucket;
  /** Workers AI; bound only in deployed Workers (see wrangler.toml). */
  AI?: Ai;
  /** JSON config overriding the bundled nanobot.config.json. */
  NANOBOT_CONFIG?: string;
  /** Any other var or secret, available to `${VAR}` interpolation. */
  [key: string]: unknown;
}
