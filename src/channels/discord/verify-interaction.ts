import { freshTimestamp, publicKeyFromHex, verifyHex } from "../ed25519.ts";

const keys = new Map<string, Promise<CryptoKey | null>>();

/**
 * Discord signs every interaction with the application's key: `X-Signature-Ed25519` over
 * `X-Signature-Timestamp` + raw body, checked with the Public Key from the developer portal. Discord sends test
 * requests with bad signatures when the endpoint is saved and refuses URLs that do not answer them with 401.
 */
export async function verifyDiscordSignature(args: { publicKey: string; timestamp: string | null; signature: string | null; rawBody: string; nowS?: number }): Promise<boolean> {
  if (!args.publicKey || !freshTimestamp(args.timestamp, args.nowS)) return false;
  let key = keys.get(args.publicKey);
  if (!key) {
    key = publicKeyFromHex(args.publicKey);
    keys.set(args.publicKey, key);
  }
  const publicKey = await key;
  return publicKey ? verifyHex(publicKey, args.signature, `${args.timestamp}${args.rawBody}`) : false;
}
