import type { Env } from "../env.ts";
import type { TurnReply } from "../session-protocol/inbound.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import { openAiError } from "./openai-error.ts";

/** How long a stateless reply answers retries with the same Idempotency-Key (Stripe and OpenAI keep 24 h). */
const REPLAY_MS = 24 * 3600_000;
/** A claim older than this belongs to a request that died without finishing; the key may run again. */
const STALE_CLAIM_MS = 10 * 60_000;

export type StatelessIdempotency =
  | { kind: "replay"; events: AsyncIterable<TurnEvent> }
  | { kind: "run"; save(reply: TurnReply): Promise<void>; release(): Promise<void> };

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function* replay(reply: TurnReply): AsyncIterable<TurnEvent> {
  yield { type: "done", reply };
}

/**
 * `Idempotency-Key` on a stateless request (no session to dedupe in): the finished reply is kept in R2 under
 * `api-idempotency/` (outside every workspace) and a retry with the same key gets it without a second model
 * run. A retry while the first is still running is refused with 409, as Stripe does, rather than run twice.
 * `scope` keeps the two APIs' keys apart. Without a key: undefined, nothing is stored.
 */
export async function statelessIdempotency(env: Env, scope: string, key: string | undefined): Promise<StatelessIdempotency | undefined> {
  if (!key) return undefined;
  const id = await sha256(`${scope}\u0000${key}`);
  const objectKey = `api-idempotency/${id}.json`;
  const stored = await env.WORKSPACE.get(objectKey);
  if (stored) {
    const { reply, at } = (await stored.json()) as { reply: TurnReply; at: number };
    if (Date.now() - at < REPLAY_MS) return { kind: "replay", events: replay(reply) };
  }
  const claimKey = `api-idempotency:${id}`;
  const now = Date.now();
  // One statement: a new claim, or taking over one whose request died (older than STALE_CLAIM_MS).
  const claimed = await env.DB.prepare(
    "INSERT INTO channel_events (event_key, created_at) VALUES (?1, ?2) ON CONFLICT (event_key) DO UPDATE SET created_at = excluded.created_at WHERE channel_events.created_at < ?3",
  )
    .bind(claimKey, now, now - (stored ? 0 : STALE_CLAIM_MS))
    .run();
  if (!claimed.meta.changes) {
    throw openAiError(409, "A request with this Idempotency-Key is still running; retry when it has finished.", "invalid_request_error", "idempotency_key_in_use");
  }
  return {
    kind: "run",
    save: async (reply) => {
      await env.WORKSPACE.put(objectKey, JSON.stringify({ reply, at: Date.now() }), { httpMetadata: { contentType: "application/json" } });
    },
    release: async () => {
      await env.DB.prepare("DELETE FROM channel_events WHERE event_key = ?1").bind(claimKey).run();
    },
  };
}
