import type { WecomConfig } from "../../config/sections/channel-wecom.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { sniffImage } from "../../workspace/content-type.ts";
import type { ChatTarget } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import { wecomApi, wecomUpload } from "./wecom-api.ts";

/** `message/send` refuses text and markdown content over 2,048 bytes (UTF-8), so parts are cut by bytes, not characters. */
export const WECOM_MAX_BYTES = 2048;
/** Images over 10 MB (or not JPG/PNG) must go as files; files up to 20 MB. */
const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/** Parts of at most `maxBytes` UTF-8 bytes, cut where splitMessage cuts (paragraphs, lines, words). */
export function splitByBytes(text: string, maxBytes = WECOM_MAX_BYTES): string[] {
  const out: string[] = [];
  const pending = splitMessage(text, maxBytes);
  while (pending.length) {
    const part = pending.shift()!;
    const bytes = byteLength(part);
    if (bytes <= maxBytes) out.push(part);
    // A part of multi-byte characters: cut it again at a character count its bytes can afford.
    else pending.unshift(...splitMessage(part, Math.max(1, Math.floor((part.length * maxBytes) / bytes) - 1)));
  }
  return out;
}

/**
 * WeCom Markdown is a subset: headings, bold, links, inline code, quotes and coloured text render; images do not
 * (shown as links instead). With `markdown: false` the text goes as plain text for the WeChat plugin, which shows
 * Markdown markup literally.
 */
export function toWecomMarkdown(markdown: string): string {
  return markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_m, alt: string, url: string) => `[${alt || "image"}](${url})`);
}

export function toWecomText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n([\s\S]*?)```/g, "$1")
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, "$1 ($2)")
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_m, a, b) => a ?? b)
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^#{1,6}\s+/gm, "");
}

/** The content of one text part as `message/send` wants it. */
export function textPayload(cfg: WecomConfig, target: ChatTarget, part: string): Record<string, unknown> {
  const base = { touser: target.chatId, agentid: Number(cfg.agentId) || cfg.agentId, safe: 0 };
  return cfg.markdown ? { ...base, msgtype: "markdown", markdown: { content: toWecomMarkdown(part) } } : { ...base, msgtype: "text", text: { content: toWecomText(part) } };
}

export async function sendWecomText(cfg: WecomConfig, target: ChatTarget, part: string): Promise<void> {
  await wecomApi(cfg, "message/send", textPayload(cfg, target, part));
}

/** A file from R2 as an image message (JPG/PNG up to 10 MB) or a file message. */
export async function sendWecomMedia(cfg: WecomConfig, bucket: R2Bucket, target: ChatTarget, ref: MediaRef): Promise<void> {
  const object = await bucket.get(ref.key);
  if (!object) throw new Error(`attachment ${ref.name ?? ref.key} is no longer in the workspace`);
  const bytes = await object.arrayBuffer();
  const sniffed = sniffImage(new Uint8Array(bytes, 0, Math.min(16, bytes.byteLength)));
  const asImage = (sniffed === "image/jpeg" || sniffed === "image/png") && bytes.byteLength <= IMAGE_MAX_BYTES;
  const name = ref.name ?? ref.key.slice(ref.key.lastIndexOf("/") + 1);
  const mediaId = await wecomUpload(cfg, asImage ? "image" : "file", bytes, name, sniffed ?? ref.mimeType);
  const kind = asImage ? "image" : "file";
  await wecomApi(cfg, "message/send", { touser: target.chatId, agentid: Number(cfg.agentId) || cfg.agentId, msgtype: kind, [kind]: { media_id: mediaId }, safe: 0 });
}
