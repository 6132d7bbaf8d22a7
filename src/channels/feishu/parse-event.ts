import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/** The parts of an event subscription v2 body (decrypted) we read; v1-style url_verification has type/challenge/token. */
export interface FeishuEnvelope {
  schema?: string;
  type?: string;
  challenge?: string;
  token?: string;
  encrypt?: string;
  header?: { event_id?: string; event_type?: string; token?: string; create_time?: string; app_id?: string; tenant_key?: string };
  event?: { sender?: FeishuSender; message?: FeishuMessage };
}

interface FeishuSender {
  sender_id?: { open_id?: string; user_id?: string; union_id?: string };
  sender_type?: string;
}

interface FeishuMention {
  key: string;
  id?: { open_id?: string; user_id?: string; union_id?: string };
  name?: string;
}

export interface FeishuMessage {
  message_id: string;
  root_id?: string;
  parent_id?: string;
  thread_id?: string;
  chat_id: string;
  chat_type: string;
  message_type: string;
  content: string;
  mentions?: FeishuMention[];
}

export type ParsedFeishu = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/** Where a message resource is downloaded from (`GET im/v1/messages/:id/resources/:key?type=image|file`). */
const resource = (messageId: string, key: string, type: "image" | "file") => `im/v1/messages/${encodeURIComponent(messageId)}/resources/${encodeURIComponent(key)}?type=${type}`;

/** A post (rich text) body: `{title, content: [[elements]]}`, in received events without a locale wrapper. */
function postText(content: Record<string, unknown>, messageId: string, files: PlatformFile[]): string {
  const body = (Array.isArray(content.content) ? content : (Object.values(content).find((v) => v && typeof v === "object" && Array.isArray((v as { content?: unknown }).content)) ?? {})) as { title?: string; content?: Array<Array<Record<string, string>>> };
  const lines: string[] = body.title ? [body.title] : [];
  for (const paragraph of body.content ?? []) {
    let line = "";
    for (const el of paragraph) {
      if (el.tag === "text") line += el.text ?? "";
      else if (el.tag === "a") line += el.href ? `[${el.text ?? el.href}](${el.href})` : (el.text ?? "");
      // In received posts an `at` carries the mention key (`@_user_1`), resolved with `mentions` below.
      else if (el.tag === "at") line += el.user_id ?? "";
      else if (el.tag === "code_block") line += `\n\`\`\`${el.language ?? ""}\n${el.text ?? ""}\n\`\`\`\n`;
      else if (el.tag === "img" && el.image_key) files.push({ id: el.image_key, name: `${el.image_key}.jpg`, mimeType: "image/jpeg", url: resource(messageId, el.image_key, "image") });
    }
    lines.push(line);
  }
  return lines.join("\n");
}

/**
 * `im.message.receive_v1` → the channel-neutral message. Mentions arrive as `@_user_N` placeholders in the
 * text with the person in `mentions`: the bot's own is removed (and sets mentionsBot), others become `@Name`.
 * A group and a DM (p2p) are different sessions; a topic (thread) in a group is a session of its own.
 */
export function parseFeishuEvent(envelope: FeishuEnvelope, botOpenId: string | null): ParsedFeishu {
  const type = envelope.header?.event_type;
  if (type !== "im.message.receive_v1") return { ok: false, reason: `unsupported event ${type ?? envelope.type ?? "none"}` };
  const sender = envelope.event?.sender;
  const msg = envelope.event?.message;
  if (!msg?.message_id || !msg.chat_id) return { ok: false, reason: "event without a message" };
  if (sender?.sender_type !== "user" || !sender.sender_id?.open_id) return { ok: false, reason: "message from a bot" };
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(msg.content) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "content is not JSON" };
  }
  const files: PlatformFile[] = [];
  let text = "";
  switch (msg.message_type) {
    case "text":
      text = String(content.text ?? "");
      break;
    case "post":
      text = postText(content, msg.message_id, files);
      break;
    case "image":
      if (typeof content.image_key === "string") files.push({ id: content.image_key, name: `${content.image_key}.jpg`, mimeType: "image/jpeg", url: resource(msg.message_id, content.image_key, "image") });
      break;
    case "file":
    case "audio":
    case "media":
      if (typeof content.file_key === "string") {
        const audio = msg.message_type === "audio";
        files.push({
          id: content.file_key,
          name: typeof content.file_name === "string" ? content.file_name : `${content.file_key}${audio ? ".opus" : ""}`,
          // Feishu voice messages are Opus in an Ogg container.
          mimeType: audio ? "audio/ogg" : undefined,
          url: resource(msg.message_id, content.file_key, "file"),
          durationS: audio && typeof content.duration === "number" ? content.duration / 1000 : undefined,
        });
      }
      break;
    default:
      return { ok: false, reason: `unsupported message type ${msg.message_type}` };
  }
  const isBot = (m: FeishuMention) => (botOpenId ? m.id?.open_id === botOpenId : !m.id?.user_id && Boolean(m.id?.open_id?.startsWith("ou_")));
  const mentions = msg.mentions ?? [];
  const mentionsBot = mentions.some(isBot);
  for (const m of mentions) text = text.split(m.key).join(isBot(m) ? "" : `@${m.name ?? m.key}`);
  text = text.replace(/[ \t]+/g, " ").trim();
  if (!text && !files.length) return { ok: false, reason: "empty message" };
  const isGroup = msg.chat_type !== "p2p";
  return {
    ok: true,
    files,
    message: {
      channel: "feishu",
      chatId: msg.chat_id,
      senderId: sender.sender_id.open_id,
      text,
      threadId: msg.thread_id || undefined,
      isGroup,
      mentionsBot,
      messageId: msg.message_id,
      // The message id, not the event id: every redelivery of a message carries it.
      eventId: msg.message_id,
    },
  };
}

export function feishuSessionKey(message: Pick<InboundMessage, "chatId" | "threadId">): string {
  return message.threadId ? `feishu:${message.chatId}:${message.threadId}` : `feishu:${message.chatId}`;
}
