import { timingSafeEqual } from "../../security/timing-safe-equal.ts";

const encoder = new TextEncoder();

/** The `X-Hub-Signature-256` value Meta sends: `sha256=` + hex HMAC-SHA256 of the raw body keyed with the app secret. */
export async function hubSignature(appSecret: string, rawBody: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(rawBody)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Checks a webhook delivery in constant time; no app secret configured = nothing is accepted. */
export async function verifyHubSignature(appSecret: string, header: string | null, rawBody: string): Promise<boolean> {
  if (!appSecret || !header) return false;
  return timingSafeEqual(header.trim().toLowerCase(), await hubSignature(appSecret, rawBody));
}
