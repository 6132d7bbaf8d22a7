const encoder = new TextEncoder();

const sha256 = (text: string) => crypto.subtle.digest("SHA-256", encoder.encode(text));

/**
 * Compares secrets without leaking their length or common prefix through timing: both sides are hashed
 * first so the comparison always covers 32 bytes, then compared with the runtime's constant-time check.
 */
export async function timingSafeEqual(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([sha256(a), sha256(b)]);
  return crypto.subtle.timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Digests of configured secrets; a config has a handful, so the map stays tiny (bounded anyway). */
const MAX_SECRETS = 16;
const secretDigests = new Map<string, ArrayBuffer>();

/**
 * `timingSafeEqual(given, secret)` for a configured secret (the API key, a webhook token) checked on every
 * request: the secret's digest is computed once per isolate, so a request hashes only what it was given
 * (bearer auth cost ~1.5 ms per API turn with two digests). Same timing properties as timingSafeEqual.
 * Digests are stored resolved, never as promises: a promise shared across requests can strand a waiter in
 * workerd when the request that created it ends first.
 */
export async function matchesSecret(given: string, secret: string): Promise<boolean> {
  let expected = secretDigests.get(secret);
  if (!expected) {
    expected = await sha256(secret);
    if (secretDigests.size >= MAX_SECRETS) secretDigests.clear();
    secretDigests.set(secret, expected);
  }
  const digest = await sha256(given);
  return crypto.subtle.timingSafeEqual(digest, expected) && given.length === secret.length;
}
