import { freshTimestamp, keyPairFromSeed, signHex, verifyHex, type Ed25519KeyPair } from "../ed25519.ts";

const encoder = new TextEncoder();

/**
 * QQ's key derivation (bot.q.qq.com "安全和授权"): the bot secret repeated until it is at least 32 bytes long,
 * cut to 32, is the Ed25519 seed. QQ signs callbacks with that key; we verify with its public half.
 */
export function qqSeed(secret: string): Uint8Array {
  let seed = secret;
  while (encoder.encode(seed).length < 32) seed = seed.repeat(2);
  return encoder.encode(seed).slice(0, 32);
}

const keys = new Map<string, Promise<Ed25519KeyPair>>();

/** Derived once per isolate and secret (two WebCrypto imports). */
export function qqKeyPair(secret: string): Promise<Ed25519KeyPair> {
  let pair = keys.get(secret);
  if (!pair) {
    pair = keyPairFromSeed(qqSeed(secret));
    keys.set(secret, pair);
    pair.catch(() => keys.delete(secret));
  }
  return pair;
}

/** `X-Signature-Ed25519` over `X-Signature-Timestamp` + raw body, with a fresh timestamp. */
export async function verifyQqSignature(args: { secret: string; timestamp: string | null; signature: string | null; rawBody: string; nowS?: number }): Promise<boolean> {
  if (!args.secret || !freshTimestamp(args.timestamp, args.nowS)) return false;
  const { publicKey } = await qqKeyPair(args.secret);
  return verifyHex(publicKey, args.signature, `${args.timestamp}${args.rawBody}`);
}

/** The op 13 answer: the plain_token signed together with event_ts (event_ts first). */
export async function qqValidationSignature(secret: string, eventTs: string, plainToken: string): Promise<string> {
  return signHex((await qqKeyPair(secret)).privateKey, `${eventTs}${plainToken}`);
}

/** What QQ puts in the headers of a callback; used by the stand-in and the tests to sign like QQ. */
export async function qqSign(secret: string, timestamp: string, rawBody: string): Promise<string> {
  return signHex((await qqKeyPair(secret)).privateKey, `${timestamp}${rawBody}`);
}
