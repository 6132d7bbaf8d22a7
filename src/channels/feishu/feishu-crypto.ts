import { timingSafeEqual } from "../../security/timing-safe-equal.ts";

/**
 * Feishu signs with the request's own timestamp; five minutes (Slack's window) bounds replays while leaving
 * room for clock skew. Feishu's retries are new requests with a new timestamp and signature.
 */
export const FEISHU_MAX_SKEW_S = 300;

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** `X-Lark-Signature`: hex(sha256(timestamp + nonce + encryptKey + raw body)), a plain hash, not an HMAC. */
export async function feishuSignature(encryptKey: string, timestamp: string, nonce: string, rawBody: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(`${timestamp}${nonce}${encryptKey}${rawBody}`)));
}

/** Checks the signature headers in constant time, within the window. */
export async function verifyFeishuSignature(args: { encryptKey: string; timestamp: string | null; nonce: string | null; signature: string | null; rawBody: string; nowS?: number }): Promise<boolean> {
  const { encryptKey, timestamp, nonce, signature, rawBody } = args;
  if (!encryptKey || !timestamp || nonce === null || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = args.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > FEISHU_MAX_SKEW_S) return false;
  return timingSafeEqual(signature.toLowerCase(), await feishuSignature(encryptKey, timestamp, nonce, rawBody));
}

const base64ToBytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/**
 * The `encrypt` field: base64(iv ‖ AES-256-CBC(PKCS#7) ciphertext), key = sha256(encryptKey). null when it does
 * not decrypt (wrong key, damaged body): the caller answers 401.
 */
export async function decryptFeishu(encryptKey: string, encrypted: string): Promise<string | null> {
  try {
    const data = base64ToBytes(encrypted.trim());
    if (data.length < 32 || data.length % 16 !== 0) return null;
    const keyBytes = await crypto.subtle.digest("SHA-256", encoder.encode(encryptKey));
    const key = await crypto.subtle.importKey("raw", keyBytes, { name: "AES-CBC" }, false, ["decrypt"]);
    const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: data.slice(0, 16) }, key, data.slice(16));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(plain);
  } catch {
    return null;
  }
}

/** The inverse, for tests and the stand-in: a random IV, as Feishu does. */
export async function encryptFeishu(encryptKey: string, plain: string): Promise<string> {
  const keyBytes = await crypto.subtle.digest("SHA-256", encoder.encode(encryptKey));
  const key = await crypto.subtle.importKey("raw", keyBytes, { name: "AES-CBC" }, false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, key, encoder.encode(plain)));
  const all = new Uint8Array(16 + cipher.length);
  all.set(iv);
  all.set(cipher, 16);
  let binary = "";
  for (const b of all) binary += String.fromCharCode(b);
  return btoa(binary);
}
