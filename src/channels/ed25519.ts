/**
 * Ed25519 with WebCrypto (workerd and Node both implement it), shared by QQ (keys derived from the bot secret)
 * and Discord (the application's public key). Signatures travel as hex in both platforms' headers.
 */

const encoder = new TextEncoder();

/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): WebCrypto imports private keys only in PKCS#8 or JWK. */
const PKCS8_PREFIX = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

export function hexToBytes(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export const bytesToHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

export interface Ed25519KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The 32-byte public key as hex. */
  publicHex: string;
}

/** The key pair whose private key is this 32-byte seed (what Go's `ed25519.NewKeyFromSeed` gives). */
export async function keyPairFromSeed(seed: Uint8Array): Promise<Ed25519KeyPair> {
  if (seed.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
  const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + 32);
  pkcs8.set(PKCS8_PREFIX);
  pkcs8.set(seed, PKCS8_PREFIX.length);
  const privateKey = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, true, ["sign"]);
  const jwk = (await crypto.subtle.exportKey("jwk", privateKey)) as JsonWebKey;
  const publicKey = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, true, ["verify"]);
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", publicKey)) as ArrayBuffer);
  return { privateKey, publicKey, publicHex: bytesToHex(raw) };
}

/** A public key given as 64 hex characters (Discord's "Public Key"), or null when it is not one. */
export async function publicKeyFromHex(hex: string): Promise<CryptoKey | null> {
  const raw = hexToBytes(hex.trim());
  if (!raw || raw.length !== 32) return null;
  try {
    return await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return null;
  }
}

export async function signHex(privateKey: CryptoKey, message: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, privateKey, encoder.encode(message))));
}

/** True when `signatureHex` (128 hex characters) signs `message` (UTF-8) for `publicKey`; malformed input is false. */
export async function verifyHex(publicKey: CryptoKey, signatureHex: string | null, message: string): Promise<boolean> {
  const signature = signatureHex ? hexToBytes(signatureHex) : null;
  if (!signature || signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, encoder.encode(message));
  } catch {
    return false;
  }
}

/**
 * Both platforms sign `timestamp + body` and put the timestamp (Unix seconds) in a header. Replays outside
 * this window are refused (Discord and Slack use five minutes; QQ publishes no window, the same is used).
 */
export const SIGNATURE_MAX_SKEW_S = 300;

export function freshTimestamp(timestamp: string | null, nowS = Math.floor(Date.now() / 1000)): boolean {
  return !!timestamp && /^\d{1,12}$/.test(timestamp) && Math.abs(nowS - Number(timestamp)) <= SIGNATURE_MAX_SKEW_S;
}
