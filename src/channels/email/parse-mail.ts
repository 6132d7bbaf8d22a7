import PostalMime from "postal-mime";

/** What the email channel keeps of a message: addresses, thread headers, the text and the attachments. */
export interface ParsedMail {
  from: string;
  fromName?: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  text: string;
  headers: Array<{ key: string; value: string }>;
  attachments: Array<{ filename: string; mimeType: string; content: ArrayBuffer }>;
}

/**
 * Parses MIME with postal-mime (it decodes encodings and charsets, and gives HTML-only mail a text version).
 * Inline images referenced by the HTML are kept as attachments as well: they are often the point of the mail.
 */
export async function parseMail(raw: ArrayBuffer): Promise<ParsedMail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  const text = email.text?.trim() || stripHtml(email.html ?? "");
  return {
    from: (email.from?.address ?? "").toLowerCase(),
    fromName: email.from?.name || undefined,
    subject: email.subject ?? "",
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: email.references,
    text,
    headers: email.headers.map((h) => ({ key: h.key, value: h.value })),
    attachments: email.attachments.map((a, i) => ({
      filename: a.filename ?? `attachment-${i + 1}`,
      mimeType: a.mimeType || "application/octet-stream",
      content: a.content instanceof ArrayBuffer ? a.content : new Uint8Array(a.content as Uint8Array).slice().buffer,
    })),
  };
}

/** Last resort for mail whose only body is HTML postal-mime could not render as text. */
function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Message ids in a References / In-Reply-To header, in order (`<a@b> <c@d>`). */
export const messageIds = (header: string | undefined): string[] => header?.match(/<[^<>\s]+>/g) ?? [];

/**
 * The thread a message belongs to: the first id of its References (the thread's first message), else the
 * message it answers, else itself — so every message of a thread names the same root.
 */
export function threadRoot(mail: Pick<ParsedMail, "messageId" | "inReplyTo" | "references">): string {
  return messageIds(mail.references)[0] ?? messageIds(mail.inReplyTo)[0] ?? mail.messageId ?? `<${crypto.randomUUID()}@nanobot>`;
}

export const replySubject = (subject: string) => (/^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim() || "(no subject)"}`);
