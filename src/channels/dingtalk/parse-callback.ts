import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/** The parts of a robot HTTP-mode callback body we read. */
export interface DingtalkCallback {
  msgId?: string;
  msgtype?: string;
  conversationId?: string;
  /** "1" a single chat, "2" a group. */
  conversationType?: string;
  senderId?: string;
  senderStaffId?: string;
  senderNick?: string;
  isInAtList?: boolean;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
  robotCode?: string;
  text?: { content?: string };
  content?: {
    downloadCode?: string;
    pictureDownloadCode?: string;
    fileName?: string;
    recognition?: string;
    duration?: number | string;
    richText?: Array<{ text?: string; type?: string; downloadCode?: string; pictureDownloadCode?: string }>;
  };
}

export type ParsedDingtalk = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

const picture = (code: string): PlatformFile => ({ id: code, name: "image.jpg", mimeType: "image/jpeg" });

/**
 * A robot callback → the channel-neutral message. A DM's chat id is the sender's staffId (what the robot's
 * batchSend takes), a group's `group:<conversationId>` (nanobot's ids), so the two are different sessions.
 * In groups DingTalk calls the robot only when it is @mentioned (`isInAtList`).
 */
export function parseDingtalkCallback(body: DingtalkCallback, oapiOrigin: string): ParsedDingtalk {
  if (!body.msgId || !body.conversationId) return { ok: false, reason: "callback without msgId/conversationId" };
  const senderId = body.senderStaffId || body.senderId;
  if (!senderId) return { ok: false, reason: "callback without a sender" };
  const files: PlatformFile[] = [];
  let text = "";
  switch (body.msgtype) {
    case "text":
      text = body.text?.content ?? "";
      break;
    case "picture":
      if (body.content?.downloadCode) files.push(picture(body.content.downloadCode));
      break;
    case "richText":
      for (const item of body.content?.richText ?? []) {
        if (item.text) text += item.text;
        if (item.downloadCode) files.push(picture(item.downloadCode));
      }
      break;
    case "file":
      if (body.content?.downloadCode) files.push({ id: body.content.downloadCode, name: body.content.fileName ?? "file" });
      break;
    case "audio":
      // DingTalk transcribes voice messages itself.
      text = body.content?.recognition ?? "";
      break;
    default:
      return { ok: false, reason: `unsupported msgtype ${body.msgtype ?? "none"}` };
  }
  text = text.trim();
  if (!text && !files.length) return { ok: false, reason: "empty message" };
  const isGroup = body.conversationType === "2";
  // Only a sessionWebhook on DingTalk's own host is used: the body is signed, but a URL we post to stays ours to vet.
  const webhookOk = body.sessionWebhook && safeOrigin(body.sessionWebhook) === oapiOrigin && typeof body.sessionWebhookExpiredTime === "number";
  return {
    ok: true,
    files,
    message: {
      channel: "dingtalk",
      chatId: isGroup ? `group:${body.conversationId}` : senderId,
      senderId,
      senderName: body.senderNick,
      text,
      isGroup,
      mentionsBot: isGroup ? body.isInAtList !== false : true,
      messageId: body.msgId,
      eventId: body.msgId,
      ...(webhookOk ? { replyWebhook: { url: body.sessionWebhook!, expiresAt: body.sessionWebhookExpiredTime! } } : {}),
    },
  };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export const dingtalkSessionKey = (message: Pick<InboundMessage, "chatId">) => `dingtalk:${message.chatId}`;
