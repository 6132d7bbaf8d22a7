import type { EmailConfig } from "../../config/sections/channel-email.ts";
import type { InboundMessage } from "../../session-protocol/inbound.ts";
import { listedIn } from "../access-control.ts";
import type { PlatformFile } from "../types.ts";
import { authVerdict } from "./authentication-results.ts";
import { messageIds, threadRoot, type ParsedMail } from "./parse-mail.ts";

/**
 * What the email() entry hands the inbound pipeline as its "raw body": the parsed mail without attachment bytes
 * (those wait in memory until access control let the mail through, like a platform's file ids).
 */
export interface MailEnvelope {
  mail: Omit<ParsedMail, "attachments">;
  /** SMTP envelope addresses (MAIL FROM, RCPT TO). */
  envelopeFrom: string;
  to: string;
  attachments: Array<{ stash: string; filename: string; mimeType: string; size: number }>;
  /** Attachments left out by maxAttachmentSize / maxAttachmentsPerEmail. */
  skipped?: string[];
}

export type MailDecision = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/**
 * Drops what must never be answered — unauthenticated or unlisted senders, automatic mail (auto-replies,
 * bounces, mailing lists would loop), our own address — and turns the rest into the channel-neutral message.
 * The subject is part of the text the model reads; one session per sender and thread.
 */
export function mailToMessage(envelope: MailEnvelope, cfg: EmailConfig): MailDecision {
  const { mail } = envelope;
  const header = (name: string) => mail.headers.find((h) => h.key.toLowerCase() === name)?.value?.trim().toLowerCase();
  if (!mail.from) return { ok: false, reason: "no From address" };
  const auth = authVerdict(mail.headers);
  if (!auth.pass) return { ok: false, reason: `sender authentication failed (${auth.summary})` };
  if (!listedIn(cfg.allowFrom.map((a) => a.toLowerCase()), [mail.from])) return { ok: false, reason: "sender not in channels.email.allowFrom" };
  if (cfg.fromAddress && mail.from === cfg.fromAddress.toLowerCase()) return { ok: false, reason: "mail from our own address" };
  const auto = header("auto-submitted");
  if ((auto && auto !== "no") || header("precedence") === "bulk" || header("precedence") === "list" || header("list-id")) return { ok: false, reason: "automatic or list mail" };
  if (!mail.messageId) return { ok: false, reason: "no Message-ID" };
  const full = mail.text.trim();
  const body = [
    full.length > cfg.maxBodyChars ? `${full.slice(0, cfg.maxBodyChars)}\n[… the rest of the mail (${full.length - cfg.maxBodyChars} characters) was cut: channels.email.maxBodyChars]` : full,
    envelope.skipped?.length ? `[Attachments not stored (larger than channels.email.maxAttachmentSize or beyond maxAttachmentsPerEmail): ${envelope.skipped.join(", ")}]` : "",
  ].filter(Boolean).join("\n\n");
  if (!body && !envelope.attachments.length && !mail.subject.trim()) return { ok: false, reason: "empty mail" };
  const command = full.startsWith("/") ? full.split("\n")[0].trim() : !full && mail.subject.trim().startsWith("/") ? mail.subject.trim() : undefined;
  return {
    ok: true,
    files: envelope.attachments.map((a) => ({ id: a.stash, name: a.filename, mimeType: a.mimeType, size: a.size })),
    message: {
      channel: "email",
      chatId: mail.from,
      senderId: mail.from,
      senderName: mail.fromName,
      // A slash command (`/status`, `/new`) as the body, or as the subject of an empty mail, is sent as it is.
      text: command ?? `Subject: ${mail.subject.trim() || "(no subject)"}\n\n${body}`.trim(),
      threadId: threadRoot(mail),
      messageId: mail.messageId,
      replyTo: messageIds(mail.inReplyTo)[0],
      isGroup: false,
      // Email Routing retries delivery when the Worker fails: the Message-ID identifies the redelivery.
      eventId: mail.messageId,
    },
  };
}

/** The subject of a message built by mailToMessage (its first line). */
export const subjectOf = (text: string) => /^Subject: (.*)$/m.exec(text)?.[1] ?? "";

export const emailSessionKey = (message: Pick<InboundMessage, "chatId" | "threadId">) => `email:${message.chatId}:${message.threadId ?? "none"}`;
