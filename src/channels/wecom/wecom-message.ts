import { decodeXml } from "../../documents/xml-text.ts";
import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/**
 * One field of WeCom's flat callback XML (`<Name><![CDATA[value]]></Name>` or `<Name>value</Name>`); callbacks
 * have no nesting that matters here, so no XML library is needed.
 */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>\\s*(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))\\s*</${name}>`).exec(xml);
  if (!m) return undefined;
  return m[1] ?? decodeXml(m[2] ?? "");
}

export type ParsedWecom = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/** Media types a self-built app receives, with what the model is told when the file could not be fetched. */
const MEDIA: Record<string, { mimeType: string; name: string }> = {
  image: { mimeType: "image/jpeg", name: "image.jpg" },
  voice: { mimeType: "audio/amr", name: "voice.amr" },
  video: { mimeType: "video/mp4", name: "video.mp4" },
  file: { mimeType: "application/octet-stream", name: "file" },
};

/**
 * A decrypted callback → the channel-neutral message. App callbacks carry direct messages only (a user talking
 * to the app); events (entering the app, menu clicks, …) are acknowledged and ignored.
 */
export function parseWecomMessage(xml: string, agentId: string): ParsedWecom {
  const type = xmlField(xml, "MsgType") ?? "";
  if (type === "event") return { ok: false, reason: `event ${xmlField(xml, "Event") ?? "?"}` };
  const from = xmlField(xml, "FromUserName");
  if (!from) return { ok: false, reason: "no sender" };
  const msgAgent = xmlField(xml, "AgentID");
  if (agentId && msgAgent && msgAgent !== agentId) return { ok: false, reason: `message for agent ${msgAgent}` };
  const msgId = xmlField(xml, "MsgId");
  const base = { channel: "wecom", chatId: from, senderId: from, isGroup: false, messageId: msgId, eventId: msgId };
  if (type === "text") {
    const text = (xmlField(xml, "Content") ?? "").trim();
    return text ? { ok: true, files: [], message: { ...base, text } } : { ok: false, reason: "empty message" };
  }
  if (type === "location") {
    const label = xmlField(xml, "Label") ?? "";
    return { ok: true, files: [], message: { ...base, text: `[Location: ${label} (${xmlField(xml, "Location_X")}, ${xmlField(xml, "Location_Y")})]` } };
  }
  if (type === "link") {
    return { ok: true, files: [], message: { ...base, text: `[Link: ${xmlField(xml, "Title") ?? ""} ${xmlField(xml, "Url") ?? ""}]\n${xmlField(xml, "Description") ?? ""}`.trim() } };
  }
  const media = MEDIA[type];
  const mediaId = xmlField(xml, "MediaId");
  if (media && mediaId) {
    const format = xmlField(xml, "Format");
    const name = format ? media.name.replace(/\.\w+$/, `.${format}`) : media.name;
    return { ok: true, files: [{ id: mediaId, name, mimeType: media.mimeType }], message: { ...base, text: "" } };
  }
  return { ok: false, reason: `unsupported message type ${type || "none"}` };
}
