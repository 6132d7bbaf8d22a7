/** Test-side helpers for QQ: callbacks signed the way QQ signs them, stand-in recordings out. */
import { SELF } from "cloudflare:test";
import { qqSign } from "../../src/channels/qq/qq-signature.ts";
import { standIns } from "./llm-script.ts";
import type { QqCall } from "./stand-in-qq.ts";
import { STAND_IN_QQ } from "./stand-in-qq.ts";

export type { QqCall };

export const qqId = (prefix = "") => `${prefix}${crypto.randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase()}`;

/** The body of an op 0 dispatch shaped like QQ's documented examples (C2C, group @, guild @, guild DM). */
export function qqEvent(t: "C2C_MESSAGE_CREATE" | "GROUP_AT_MESSAGE_CREATE" | "AT_MESSAGE_CREATE" | "DIRECT_MESSAGE_CREATE", d: Record<string, unknown>, id = `${t}:${qqId()}`): Record<string, unknown> {
  return { op: 0, id, t, s: 1, d: { id: `ROBOT1.0_${qqId()}`, timestamp: new Date().toISOString(), ...d } };
}

export async function postQq(body: unknown, opts: { secret?: string; timestamp?: number; signature?: string; raw?: string } = {}): Promise<Response> {
  const raw = opts.raw ?? JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? (await qqSign(opts.secret ?? STAND_IN_QQ.secret, timestamp, raw));
  return SELF.fetch("https://gateway.test/webhooks/qq", {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "QQBot-Callback", "x-bot-appid": STAND_IN_QQ.appId, "x-signature-method": "Ed25519", "x-signature-timestamp": timestamp, "x-signature-ed25519": signature },
    body: raw,
  });
}

export async function qqCalls(chat: string): Promise<QqCall[]> {
  return (await fetch(`${standIns().qq}/__calls?chat=${encodeURIComponent(chat)}`)).json();
}

/** Successful message posts to a chat (not uploads), in order. */
export async function qqSent(chat: string): Promise<QqCall[]> {
  return (await qqCalls(chat)).filter((c) => c.status === 200 && c.path.endsWith("/messages"));
}

export async function qqTokensIssued(): Promise<number> {
  return ((await (await fetch(`${standIns().qq}/__tokens`)).json()) as { issued: number }).issued;
}

export async function qqRevokeTokens(): Promise<void> {
  await fetch(`${standIns().qq}/__revoke`, { method: "POST" });
}

export async function qqFile(name: string, bytes: Uint8Array, mimeType: string): Promise<string> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${standIns().qq}/__files`, { method: "POST", body: JSON.stringify({ name, base64: btoa(binary), mimeType }) });
  return `${standIns().qq}/files/${encodeURIComponent(name)}`;
}
