/** Test-side helpers for DingTalk: robot callbacks shaped like the documented HTTP-mode body, signed. */
import { SELF } from "cloudflare:test";
import { dingtalkSign } from "../../src/channels/dingtalk/verify-sign.ts";
import { uniqueId } from "./channel-script.ts";
import type { DingtalkCall } from "./stand-in-dingtalk.ts";
import { standIns } from "./llm-script.ts";

export type { DingtalkCall };

export const DINGTALK_TEST = { clientSecret: "dingtalk-client-secret", owner: "staff-owner", robotCode: "dingstandin" };

export const dingtalkConversationId = () => `cid${uniqueId().toString(36)}==`;

export interface DingtalkMessageOptions {
  conversationId?: string;
  group?: boolean;
  staffId?: string;
  text?: string;
  msgtype?: string;
  content?: Record<string, unknown>;
  msgId?: string;
  /** The sessionWebhook's session; "" = none. */
  session?: string;
  sessionExpiresAt?: number;
  isInAtList?: boolean;
}

/** A robot callback as DingTalk posts it in HTTP mode. */
export function dingtalkMessage(o: DingtalkMessageOptions = {}): Record<string, unknown> {
  const now = Date.now();
  const session = o.session ?? `sess${uniqueId()}`;
  const staffId = o.staffId ?? DINGTALK_TEST.owner;
  return {
    conversationId: o.conversationId ?? dingtalkConversationId(),
    atUsers: o.group ? [{ dingtalkId: "$:LWCP_v1:$bot" }] : [],
    chatbotCorpId: "dingcorp",
    chatbotUserId: "$:LWCP_v1:$bot",
    msgId: o.msgId ?? `msg${uniqueId().toString(36)}`,
    senderNick: "Test User",
    isAdmin: false,
    senderStaffId: staffId,
    ...(session ? { sessionWebhookExpiredTime: o.sessionExpiresAt ?? now + 90 * 60_000, sessionWebhook: `${standIns().dingtalk}/robot/sendBySession?session=${session}` } : {}),
    createAt: now,
    senderCorpId: "dingcorp",
    conversationType: o.group ? "2" : "1",
    senderId: `$:LWCP_v1:$${staffId}`,
    ...(o.group ? { conversationTitle: "Test group", isInAtList: o.isInAtList ?? true } : {}),
    robotCode: DINGTALK_TEST.robotCode,
    msgtype: o.msgtype ?? "text",
    ...(o.msgtype && o.msgtype !== "text" ? { content: o.content ?? {} } : { text: { content: ` ${o.text ?? ""}` } }),
  };
}

/** POSTs a callback with DingTalk's `timestamp` (ms) and `sign` headers. */
export async function postDingtalk(body: unknown, opts: { secret?: string; timestamp?: number; sign?: string } = {}): Promise<Response> {
  const timestamp = String(opts.timestamp ?? Date.now());
  const sign = opts.sign ?? (await dingtalkSign(opts.secret ?? DINGTALK_TEST.clientSecret, timestamp));
  return SELF.fetch("https://gateway.test/webhooks/dingtalk", { method: "POST", headers: { "content-type": "application/json; charset=utf-8", timestamp, sign }, body: JSON.stringify(body) });
}

export async function dingtalkCalls(target: string, method?: DingtalkCall["method"]): Promise<DingtalkCall[]> {
  const q = new URLSearchParams({ target, ...(method ? { method } : {}) });
  return (await fetch(`${standIns().dingtalk}/__calls?${q}`)).json();
}

export async function allDingtalkCalls(method: DingtalkCall["method"]): Promise<DingtalkCall[]> {
  return (await fetch(`${standIns().dingtalk}/__calls?method=${method}`)).json();
}

export async function dingtalkFile(downloadCode: string, bytes: Uint8Array, mimeType: string): Promise<void> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${standIns().dingtalk}/__files`, { method: "POST", body: JSON.stringify({ downloadCode, base64: btoa(binary), mimeType }) });
}

export async function expireDingtalkTokens(): Promise<void> {
  await fetch(`${standIns().dingtalk}/__expire-tokens`, { method: "POST" });
}
