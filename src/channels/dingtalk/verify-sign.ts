import { timingSafeEqual } from "../../security/timing-safe-equal.ts";

/** DingTalk's rule for robot callbacks: the `timestamp` header (ms) must be within one hour of now. */
export const DINGTALK_MAX_SKEW_MS = 60 * 60 * 1000;

const encoder = new TextEncoder();

/** The `sign` header: base64(HMAC-SHA256(key = AppSecret, timestamp + "\n" + AppSecret)). */
export async function dingtalkSign(secret: string, timestamp: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}\n${secret}`)));
  let binary = "";
  for (const b of mac) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Checks `timestamp` + `sign` in constant time within the one-hour window. */
export async function verifyDingtalkSign(args: { secret: string; timestamp: string | null; sign: string | null; nowMs?: number }): Promise<boolean> {
  const { secret, timestamp, sign } = args;
  if (!secret || !timestamp || !sign || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs((args.nowMs ?? Date.now()) - Number(timestamp)) > DINGTALK_MAX_SKEW_MS) return false;
  return timingSafeEqual(sign, await dingtalkSign(secret, timestamp));
}
