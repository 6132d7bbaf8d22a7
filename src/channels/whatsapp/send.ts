import type { WhatsappConfig } from "../../config/sections/channel-whatsapp.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { recordUndelivered } from "../undelivered.ts";
import { GraphApiError, graphApi, OUTSIDE_WINDOW_CODE } from "./graph-api.ts";
import { markdownToWhatsapp } from "./markdown-to-whatsapp.ts";

/** Cloud API text messages carry at most 4,096 characters (`text.body`). */
export const WHATSAPP_TEXT_LIMIT = 4096;
/** A template's body, variables included, is limited to 1,024 characters: the text variable gets less. */
const TEMPLATE_TEXT_CHARS = 900;

export type SendResult = "sent" | "template" | "undelivered";

const messages = (wa: WhatsappConfig) => `${encodeURIComponent(wa.phoneNumberId)}/messages`;

export async function sendText(wa: WhatsappConfig, to: string, markdown: string): Promise<void> {
  await graphApi(wa, messages(wa), { json: { messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: markdownToWhatsapp(markdown), preview_url: false } } });
}

/** Marks the user's message read and shows "typing…" until the reply is sent (or 25 s pass). */
export async function markReadAndTyping(wa: WhatsappConfig, messageId: string): Promise<void> {
  await graphApi(wa, messages(wa), { json: { messaging_product: "whatsapp", status: "read", message_id: messageId, typing_indicator: { type: "text" } } });
}

/**
 * Runs a send that may fall outside the 24-hour customer service window. Outside it (Meta's error 131047) the
 * configured template carries the text instead; without one, or when the template fails too, the message is
 * recorded as not delivered (for /status and doctor) and "undelivered" is returned — never silently dropped.
 */
export async function withinWindow(args: { bucket: R2Bucket; wa: WhatsappConfig; to: string; text: string; send: () => Promise<void> }): Promise<SendResult> {
  const { bucket, wa, to, text } = args;
  try {
    await args.send();
    return "sent";
  } catch (err) {
    if (!(err instanceof GraphApiError) || err.code !== OUTSIDE_WINDOW_CODE) throw err;
  }
  const closed = "the 24-hour customer service window is closed (the user last wrote more than 24 hours ago), so WhatsApp only accepts a template";
  if (!wa.template.name) {
    await recordUndelivered(bucket, {
      channel: "whatsapp",
      chatId: to,
      text,
      reason: `${closed}, and channels.whatsapp.template.name is not set`,
      fix: "create a message template with one {{1}} body variable in WhatsApp Manager, wait for its approval, then set channels.whatsapp.template.name (and .language); or ask the user to write first",
    });
    return "undelivered";
  }
  try {
    await sendTemplate(wa, to, text);
    return "template";
  } catch (err) {
    await recordUndelivered(bucket, {
      channel: "whatsapp",
      chatId: to,
      text,
      reason: `${closed}, and the template "${wa.template.name}" (${wa.template.language}) was refused: ${String((err as Error).message ?? err).slice(0, 200)}`,
      fix: "check in WhatsApp Manager that the template is approved, in this language, with exactly one {{1}} body variable",
    });
    return "undelivered";
  }
}

async function sendTemplate(wa: WhatsappConfig, to: string, text: string): Promise<void> {
  const plain = markdownToWhatsapp(text).replace(/\s*\n\s*/g, " ").trim();
  const value = plain.length > TEMPLATE_TEXT_CHARS ? `${plain.slice(0, TEMPLATE_TEXT_CHARS - 1)}…` : plain;
  await graphApi(wa, messages(wa), {
    json: {
      messaging_product: "whatsapp",
      to,
      type: "template",
      template: { name: wa.template.name, language: { code: wa.template.language }, components: [{ type: "body", parameters: [{ type: "text", text: value }] }] },
    },
  });
}

/** Cloud API media kinds by MIME type: images only as JPEG/PNG, audio in the listed codecs, anything else as a document. */
function mediaKind(mimeType: string): "image" | "audio" | "document" {
  if (/^image\/(jpeg|png)$/.test(mimeType)) return "image";
  if (/^audio\/(aac|amr|mpeg|mp4|ogg)/.test(mimeType)) return "audio";
  return "document";
}

/** Uploads a stored file (`POST /{phone-number-id}/media`) and sends it by the returned media id. */
export async function sendMediaFile(wa: WhatsappConfig, bucket: R2Bucket, to: string, ref: MediaRef): Promise<void> {
  const object = await bucket.get(ref.key);
  if (!object) {
    console.log(JSON.stringify({ event: "whatsapp_media_missing", chat: to, key: ref.key }));
    return;
  }
  const filename = ref.name ?? ref.key.split("/").pop() ?? "file";
  const mimeType = ref.mimeType || "application/octet-stream";
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", mimeType);
  form.set("file", new File([await object.arrayBuffer()], filename, { type: mimeType }));
  const { id } = await graphApi<{ id: string }>(wa, `${encodeURIComponent(wa.phoneNumberId)}/media`, { form });
  const kind = mediaKind(mimeType);
  await graphApi(wa, messages(wa), { json: { messaging_product: "whatsapp", recipient_type: "individual", to, type: kind, [kind]: kind === "document" ? { id, filename } : { id } } });
}
