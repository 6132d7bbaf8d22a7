import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/** The parts of a Cloud API `messages` webhook we read (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). */
export interface WhatsappPayload {
  object?: string;
  entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WhatsappValue }> }>;
}

interface MediaObject {
  id: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
  voice?: boolean;
}

export interface WhatsappMessage {
  id: string;
  from: string;
  timestamp?: string;
  type: string;
  text?: { body: string };
  image?: MediaObject;
  audio?: MediaObject;
  document?: MediaObject;
  context?: { id?: string };
  button?: { text?: string; payload?: string };
  interactive?: { button_reply?: { id: string; title: string }; list_reply?: { id: string; title: string } };
}

interface WhatsappValue {
  messaging_product?: string;
  metadata?: { phone_number_id?: string; display_phone_number?: string };
  contacts?: Array<{ wa_id: string; profile?: { name?: string } }>;
  messages?: WhatsappMessage[];
  statuses?: Array<{ id: string; status: string; recipient_id?: string; errors?: Array<{ code: number; title?: string }> }>;
}

export type ParsedWhatsapp = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

const MEDIA_TYPES = ["image", "audio", "document"] as const;

/**
 * Splits one delivery into single-message payloads: Meta may batch several messages (and statuses) in one
 * POST, while the inbound pipeline takes one message per body. Each part keeps its own `metadata` and contact.
 */
export function splitWhatsappPayload(payload: WhatsappPayload): WhatsappPayload[] {
  const parts: WhatsappPayload[] = [];
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const value = change.value;
      for (const message of value?.messages ?? []) {
        const contact = value?.contacts?.find((c) => c.wa_id === message.from) ?? value?.contacts?.[0];
        parts.push({ object: payload.object, entry: [{ id: entry.id, changes: [{ field: change.field, value: { ...value, contacts: contact ? [contact] : [], messages: [message], statuses: undefined } }] }] });
      }
    }
  }
  return parts;
}

/**
 * A single-message payload → the channel-neutral message. Text, image, audio and document messages (caption as
 * text, the media as a file to fetch), button replies as their label; statuses (sent/delivered/read) and other
 * types are ignored with a reason. The `from` number is both the chat and the sender: the Cloud API has 1:1 chats.
 */
export function parseWhatsappPayload(payload: WhatsappPayload, phoneNumberId: string): ParsedWhatsapp {
  if (payload.object !== "whatsapp_business_account") return { ok: false, reason: `object ${payload.object ?? "none"}` };
  const change = payload.entry?.[0]?.changes?.[0];
  const value = change?.value;
  if (change?.field !== "messages" || !value) return { ok: false, reason: `field ${change?.field ?? "none"}` };
  const message = value.messages?.[0];
  if (!message) return { ok: false, reason: value.statuses?.length ? `status ${value.statuses.map((s) => s.status).join(",")}` : "no message" };
  if (phoneNumberId && value.metadata?.phone_number_id && value.metadata.phone_number_id !== phoneNumberId) {
    return { ok: false, reason: "message for another phone number id" };
  }
  const files: PlatformFile[] = [];
  let text = "";
  if (message.type === "text") text = message.text?.body ?? "";
  else if (message.type === "button") text = message.button?.text ?? message.button?.payload ?? "";
  else if (message.type === "interactive") text = message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? "";
  else if ((MEDIA_TYPES as readonly string[]).includes(message.type)) {
    const media = message[message.type as (typeof MEDIA_TYPES)[number]];
    if (media?.id) {
      text = media.caption ?? "";
      files.push({ id: media.id, mimeType: media.mime_type, name: media.filename ?? defaultName(message.type, media.mime_type) });
    }
  } else return { ok: false, reason: `unsupported message type ${message.type}` };
  if (!text.trim() && !files.length) return { ok: false, reason: "empty message" };
  const contact = value.contacts?.find((c) => c.wa_id === message.from);
  return {
    ok: true,
    files,
    message: {
      channel: "whatsapp",
      chatId: message.from,
      senderId: message.from,
      senderName: contact?.profile?.name,
      text: text.trim(),
      isGroup: false,
      messageId: message.id,
      replyTo: message.context?.id,
      // Meta redelivers the same message (same wamid) until it gets a 200: the id is the event id.
      eventId: message.id,
    },
  };
}

function defaultName(type: string, mimeType?: string): string {
  const ext = mimeType?.split("/")[1]?.split(";")[0]?.replace(/[^a-z0-9]/gi, "") || "bin";
  return `${type}.${ext}`;
}

export const whatsappSessionKey = (message: Pick<InboundMessage, "chatId">): string => `whatsapp:${message.chatId}`;
