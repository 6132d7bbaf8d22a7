import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Request authentication shared with the Worker (src/sandbox/runner-client.ts):
 *   X-Runner-Timestamp: unix milliseconds
 *   X-Runner-Nonce:     16–64 chars [A-Za-z0-9_-], never reused
 *   X-Runner-Signature: hex HMAC-SHA256(secret, METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n BODY)
 * A request outside the 5-minute window, or whose nonce was seen inside it, is a replay.
 */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_NONCES = 200_000;

export function signRequest(secret: string, method: string, pathAndQuery: string, timestamp: string, nonce: string, body: Uint8Array): string {
  return createHmac("sha256", secret)
    .update(`${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${nonce}\n`)
    .update(body)
    .digest("hex");
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

/** Verifies signatures and remembers nonces for the replay window. */
export function createAuthenticator(secret: string, now: () => number = Date.now) {
  const seen = new Map<string, number>();

  function prune(at: number) {
    for (const [nonce, expires] of seen) {
      if (expires > at && seen.size < MAX_NONCES) break; // Map keeps insertion order: oldest first
      seen.delete(nonce);
    }
  }

  return {
    verify(method: string, pathAndQuery: string, headers: Record<string, string | string[] | undefined>, body: Uint8Array): AuthResult {
      const timestamp = headers["x-runner-timestamp"];
      const nonce = headers["x-runner-nonce"];
      const signature = headers["x-runner-signature"];
      if (typeof timestamp !== "string" || typeof nonce !== "string" || typeof signature !== "string") {
        return { ok: false, reason: "missing X-Runner-Timestamp, X-Runner-Nonce or X-Runner-Signature" };
      }
      const at = now();
      const ts = Number(timestamp);
      if (!Number.isFinite(ts) || Math.abs(at - ts) > REPLAY_WINDOW_MS) return { ok: false, reason: "timestamp outside the 5-minute window" };
      if (!NONCE.test(nonce)) return { ok: false, reason: "malformed nonce" };
      const expected = Buffer.from(signRequest(secret, method, pathAndQuery, timestamp, nonce, body), "hex");
      const given = Buffer.from(signature, "hex");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad signature" };
      prune(at);
      if (seen.has(nonce)) return { ok: false, reason: "replayed nonce" };
      seen.set(nonce, ts + REPLAY_WINDOW_MS);
      return { ok: true };
    },
  };
}

export const sha256Hex = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");
