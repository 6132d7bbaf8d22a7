/** Test-side helpers for Feishu: events shaped like the documented im.message.receive_v1, encrypted and signed. */
import { SELF } from "cloudflare:test";
import { encryptFeishu, feishuSignature } from "../../src/channels/feishu/feishu-crypto.ts";
import { uniqueId } from "./channel-script.ts";
import type { FeishuCall } from "./stand-in-feishu.ts";
import { standIns } from "./llm-script.ts";

export type { FeishuCall };

/** The test config's secrets (tests/support/test-config.ts). */
export const FEISHU_TEST = { encryptKey: "feishu-encrypt-key", verificationToken: "feishu-verification-token", owner: "ou_owner", bot: "ou_standinbot" };

export const feishuChatId = () => `oc_${uniqueId().toString(16)}`;
export const feishuMessageId = () => `om_${uniqueId().toString(16)}${uniqueId().toString(16)}`;

export interface FeishuMessageOptions {
  chatId: string;
  chatType?: "p2p" | "group";
  sender?: string;
  messageId?: string;
  messageType?: string;
  /** The message's `content` object (serialized as Feishu does); defaults to `{text}`. */
  content?: Record<string, unknown>;
  text?: string;
  mentions?: Array<{ key: string; id: { open_id: string; user_id?: string; union_id?: string }; name: string; tenant_key?: string }>;
  threadId?: string;
  eventId?: string;
  token?: string;
}

/** An `im.message.receive_v1` event (schema 2.0), as Feishu's documentation shows it. */
export function feishuMessageEvent(o: FeishuMessageOptions): Record<string, unknown> {
  const now = Date.now();
  return {
    schema: "2.0",
    header: { event_id: o.eventId ?? `ev_${uniqueId()}`, event_type: "im.message.receive_v1", create_time: String(now), token: o.token ?? FEISHU_TEST.verificationToken, app_id: "cli_standin", tenant_key: "tenant-standin" },
    event: {
      sender: { sender_id: { union_id: "on_u1", user_id: "u1", open_id: o.sender ?? FEISHU_TEST.owner }, sender_type: "user", tenant_key: "tenant-standin" },
      message: {
        message_id: o.messageId ?? feishuMessageId(),
        root_id: "",
        parent_id: "",
        create_time: String(now),
        update_time: String(now),
        chat_id: o.chatId,
        ...(o.threadId ? { thread_id: o.threadId } : {}),
        chat_type: o.chatType ?? "p2p",
        message_type: o.messageType ?? "text",
        content: JSON.stringify(o.content ?? { text: o.text ?? "" }),
        mentions: o.mentions ?? [],
        user_agent: { name: "Feishu", version: "7.30.0", os: "Mac" },
      },
    },
  };
}

export const botMention = (key = "@_user_1") => ({ key, id: { open_id: FEISHU_TEST.bot, union_id: "on_bot" }, name: "nanobot", tenant_key: "tenant-standin" });

export interface PostFeishuOptions {
  encryptKey?: string;
  /** Seconds since the epoch for X-Lark-Request-Timestamp. */
  timestamp?: number;
  signature?: string;
  /** Skip the signature headers (Feishu does not sign url_verification). */
  unsigned?: boolean;
}

/** POSTs a payload the way Feishu does with an Encrypt Key: `{encrypt}` body plus the X-Lark signature headers. */
export async function postFeishu(payload: unknown, opts: PostFeishuOptions = {}): Promise<Response> {
  const key = opts.encryptKey ?? FEISHU_TEST.encryptKey;
  const raw = JSON.stringify({ encrypt: await encryptFeishu(key, JSON.stringify(payload)) });
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = String(uniqueId());
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (!opts.unsigned) Object.assign(headers, { "x-lark-request-timestamp": timestamp, "x-lark-request-nonce": nonce, "x-lark-signature": opts.signature ?? (await feishuSignature(key, timestamp, nonce, raw)) });
  return SELF.fetch("https://gateway.test/webhooks/feishu", { method: "POST", headers, body: raw });
}

export async function feishuCalls(target: string, method?: FeishuCall["method"]): Promise<FeishuCall[]> {
  const q = new URLSearchParams({ target, ...(method ? { method } : {}) });
  return (await fetch(`${standIns().feishu}/__calls?${q}`)).json();
}

export async function allFeishuCalls(method: FeishuCall["method"]): Promise<FeishuCall[]> {
  return (await fetch(`${standIns().feishu}/__calls?method=${method}`)).json();
}

/** The markdown of each card sent, in order. */
export const cardTexts = (calls: FeishuCall[]) => calls.filter((c) => c.params.msg_type === "interactive").map((c) => JSON.parse(c.params.content).elements[0].content as string);

/** What the chat shows in the end: each card the bot sent (in order) with its last (updated) markdown. */
export async function finalCards(target: string): Promise<string[]> {
  const shown = new Map<string, string>();
  for (const c of await feishuCalls(target)) {
    if ((c.method === "reply" || c.method === "send" || c.method === "update") && c.messageId && JSON.parse(c.params.content).elements) shown.set(c.messageId, JSON.parse(c.params.content).elements[0].content);
  }
  return [...shown.values()];
}

export async function feishuFile(key: string, bytes: Uint8Array, mimeType: string): Promise<void> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${standIns().feishu}/__files`, { method: "POST", body: JSON.stringify({ key, base64: btoa(binary), mimeType }) });
}

export async function expireFeishuTokens(): Promise<void> {
  await fetch(`${standIns().feishu}/__expire-tokens`, { method: "POST" });
}
