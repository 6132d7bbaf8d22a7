import { timingSafeEqual } from "../../security/timing-safe-equal.ts";

/** Slack rejects replays older than five minutes; so do we. */
export const SLACK_MAX_SKEW_S = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, payload: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(payload)));
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The `X-Slack-Signature` value for a body: `v0=` + HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`). */
export async function slackSignature(secret: string, timestamp: string, rawBody: string): Promise<string> {
  return `v0=${await hmacHex(secret, `v0:${timestamp}:${rawBody}`)}`;
}

/** Slack request signing v0, over the raw body, within the 5-minute window, compared in constant time. */
export async function verifySlackSignature(args: { secret: string; timestamp: string | null; signature: string | null; rawBody: string; nowS?: number }): Promise<boolean> {
  const { secret, timestamp, signature, rawBody } = args;
  if (!secret || !timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = args.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > SLACK_MAX_SKEW_S) return false;
  return timingSafeEqual(signature, await slackSignature(secret, timestamp, rawBody));
}
