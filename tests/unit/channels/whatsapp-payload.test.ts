import { describe, expect, it } from "vitest";
import { markdownToWhatsapp } from "../../../src/channels/whatsapp/markdown-to-whatsapp.ts";
import { parseWhatsappPayload, splitWhatsappPayload, type WhatsappPayload } from "../../../src/channels/whatsapp/parse-webhook.ts";
import { hubSignature, verifyHubSignature } from "../../../src/channels/whatsapp/verify-signature.ts";

const payload = (value: Record<string, unknown>): WhatsappPayload => ({
  object: "whatsapp_business_account",
  entry: [{ id: "1", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { phone_number_id: "PN" }, ...value } }] }],
});

describe("parseWhatsappPayload", () => {
  it("should take the caption as text and the media id as a file", () => {
    const parsed = parseWhatsappPayload(payload({ contacts: [{ wa_id: "49", profile: { name: "Ann" } }], messages: [{ from: "49", id: "wamid.1", type: "document", document: { id: "M1", mime_type: "application/pdf", filename: "a.pdf", caption: "see" } }] }), "PN");
    expect(parsed).toEqual({ ok: true, files: [{ id: "M1", mimeType: "application/pdf", name: "a.pdf" }], message: expect.objectContaining({ chatId: "49", senderName: "Ann", text: "see", eventId: "wamid.1", messageId: "wamid.1" }) });
  });

  it("should name a voice note without a file name by its type", () => {
    const parsed = parseWhatsappPayload(payload({ messages: [{ from: "49", id: "w", type: "audio", audio: { id: "A1", mime_type: "audio/ogg; codecs=opus", voice: true } }] }), "PN");
    expect(parsed.ok && parsed.files).toEqual([{ id: "A1", mimeType: "audio/ogg; codecs=opus", name: "audio.ogg" }]);
  });

  it("should ignore statuses, other phone numbers and unsupported types with a reason", () => {
    expect(parseWhatsappPayload(payload({ statuses: [{ id: "w", status: "read" }] }), "PN")).toEqual({ ok: false, reason: "status read" });
    expect(parseWhatsappPayload(payload({ messages: [{ from: "49", id: "w", type: "text", text: { body: "x" } }] }), "OTHER")).toEqual({ ok: false, reason: "message for another phone number id" });
    expect(parseWhatsappPayload(payload({ messages: [{ from: "49", id: "w", type: "sticker" }] }), "PN")).toEqual({ ok: false, reason: "unsupported message type sticker" });
  });

  it("should split a batched delivery into one payload per message", () => {
    const parts = splitWhatsappPayload(payload({ contacts: [{ wa_id: "1" }, { wa_id: "2" }], messages: [{ from: "1", id: "a", type: "text", text: { body: "x" } }, { from: "2", id: "b", type: "text", text: { body: "y" } }], statuses: [{ id: "s", status: "sent" }] }));
    expect(parts.map((p) => parseWhatsappPayload(p, "PN")).map((r) => r.ok && [r.message.chatId, r.message.text])).toEqual([["1", "x"], ["2", "y"]]);
  });
});

describe("X-Hub-Signature-256", () => {
  it("should accept Meta's sha256=<hex HMAC> of the raw body and nothing else", async () => {
    const body = '{"object":"whatsapp_business_account"}';
    const signature = await hubSignature("secret", body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyHubSignature("secret", signature, body)).toBe(true);
    expect(await verifyHubSignature("secret", signature, `${body} `)).toBe(false);
    expect(await verifyHubSignature("", signature, body)).toBe(false);
  });
});

describe("markdownToWhatsapp", () => {
  it("should write bold, italic, strike, headings, links and bullets WhatsApp's way and leave code alone", () => {
    expect(markdownToWhatsapp("# Title\n**bold** *it* ~~gone~~ [docs](https://x.dev) `a**b`\n- item\n```js\nx **y**\n```")).toBe("*Title*\n*bold* _it_ ~gone~ docs (https://x.dev) `a**b`\n• item\n```\nx **y**\n```");
  });
});
