/** Test-side helpers for WhatsApp: Cloud API webhook payloads in, stand-in recordings out. */
import { SELF } from "cloudflare:test";
import { hubSignature } from "../../src/channels/whatsapp/verify-signature.ts";
import { standIns } from "./llm-script.ts";
import { uniqueId } from "./channel-script.ts";
import type { Fault } from "./stand-in-http.ts";
import type { WhatsappCall } from "./stand-in-whatsapp.ts";

export type { WhatsappCall };

export const WA_PHONE_NUMBER_ID = "1065550001";
export const waId = () => `1555${uniqueId()}`;
export const wamid = () => `wamid.HBgL${uniqueId().toString(36).toUpperCase()}${crypto.randomUUID().slice(0, 8)}`;

/** One incoming message as Meta posts it (object → entry → changes → value.messages). */
export function whatsappMessage(from: string, message: Record<string, unknown>, opts: { id?: string; name?: string } = {}) {
  return whatsappPayload({
    contacts: [{ profile: { name: opts.name ?? "Test User" }, wa_id: from }],
    messages: [{ from, id: opts.id ?? wamid(), timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
}

export function whatsappPayload(value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: "102290129340398", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001", phone_number_id: WA_PHONE_NUMBER_ID }, ...value } }] }],
  };
}

/**
 * Delivers a payload the way Meta does (signed with the app secret). As the platform also learns that the user
 * wrote, the stand-in's 24-hour window for each sender opens (`inboundAt` moves it into the past).
 */
export async function postWhatsapp(payload: unknown, opts: { secret?: string; signature?: string | null; inboundAt?: number } = {}): Promise<Response> {
  const raw = JSON.stringify(payload);
  const messages = ((payload as any).entry ?? []).flatMap((e: any) => e.changes.flatMap((c: any) => c.value.messages ?? []));
  for (const m of messages) await whatsappInbound(m.from, opts.inboundAt, [m.id]);
  const signature = opts.signature === undefined ? await hubSignature(opts.secret ?? "wa-app-secret", raw) : opts.signature;
  return SELF.fetch("https://gateway.test/webhooks/whatsapp", {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature !== null ? { "x-hub-signature-256": signature } : {}) },
    body: raw,
  });
}

/** Tells the stand-in platform when the user last wrote (opens or, in the past, closes the 24-hour window). */
export async function whatsappInbound(wa_id: string, at = Date.now(), ids: string[] = []): Promise<void> {
  await fetch(`${standIns().whatsapp}/__inbound`, { method: "POST", body: JSON.stringify({ wa_id, at, ids }) });
}

export async function whatsappCalls(to: string, type?: string): Promise<WhatsappCall[]> {
  const q = new URLSearchParams({ to, ...(type ? { type } : {}) });
  return (await fetch(`${standIns().whatsapp}/__calls?${q}`)).json();
}

/** Texts the user received (accepted text messages), in order. */
export async function whatsappTexts(to: string): Promise<string[]> {
  return (await whatsappCalls(to, "text")).filter((c) => c.status === 200).map((c) => String(c.body.text.body));
}

export async function whatsappMedia(id: string, bytes: Uint8Array, mimeType: string): Promise<void> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${standIns().whatsapp}/__media`, { method: "POST", body: JSON.stringify({ id, base64: btoa(binary), mimeType }) });
}

export async function whatsappFault(fault: Fault): Promise<void> {
  await fetch(`${standIns().whatsapp}/__faults`, { method: "POST", body: JSON.stringify(fault) });
}
