import type { EmailConfig } from "../../config/sections/channel-email.ts";
import type { Env } from "../../env.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { recordUndelivered } from "../undelivered.ts";

/** The `send_email` binding proactive mail goes through (wrangler.toml `[[send_email]] name = "SEND_EMAIL"`). */
export const SEND_EMAIL_BINDING = "SEND_EMAIL";

/** Thread headers that keep a mail in the conversation it continues. */
export interface MailThread {
  inReplyTo?: string;
  references?: string;
  subject: string;
}

/** Files a reply carries, read from R2 as `message.reply()` and `send_email` take them. */
export async function mailAttachments(bucket: R2Bucket, media: MediaRef[] = []): Promise<EmailAttachment[]> {
  const out: EmailAttachment[] = [];
  for (const ref of media) {
    const object = await bucket.get(ref.key);
    if (!object) continue;
    out.push({ disposition: "attachment", filename: ref.name ?? ref.key.split("/").pop() ?? "file", type: ref.mimeType || "application/octet-stream", content: await object.arrayBuffer() });
  }
  return out;
}

/** Whom proactive mail may go to: addresses allowFrom names explicitly ("*" names nobody in particular). */
export const verifiedRecipient = (cfg: EmailConfig, to: string) => cfg.allowFrom.some((a) => a.toLowerCase() === to.toLowerCase());

/**
 * Mail nobody is waiting on (cron, heartbeat, the `message` tool, a reply whose email() event had ended) through
 * the `send_email` binding. Email Routing delivers it only to verified destination addresses, so it goes only
 * to addresses listed in allowFrom; anything that cannot be sent is recorded for /status and doctor. Returns
 * false when it was not sent.
 */
export async function sendMail(args: { env: Env; cfg: EmailConfig; to: string; text: string; media?: MediaRef[]; thread: MailThread }): Promise<boolean> {
  const { env, cfg, to, text } = args;
  const binding = env[SEND_EMAIL_BINDING] as SendEmail | undefined;
  const record = (reason: string, fix: string) => recordUndelivered(env.WORKSPACE, { channel: "email", chatId: to, text, reason, fix }).then(() => false);
  if (!cfg.consentGranted) return record("channels.email.consentGranted is false", "set channels.email.consentGranted to true to let the agent send mail");
  if (!cfg.fromAddress) return record("channels.email.fromAddress is not set", "set channels.email.fromAddress to the address Email Routing sends to this Worker");
  if (!verifiedRecipient(cfg, to)) {
    return record(`${to} is not listed in channels.email.allowFrom, and mail nobody replied to goes only to verified addresses`, "add the address to channels.email.allowFrom and verify it in the Cloudflare dashboard (Email → Email Routing → Destination addresses)");
  }
  if (!binding) return record(`the Worker has no ${SEND_EMAIL_BINDING} binding`, `add [[env.production.send_email]] name = "${SEND_EMAIL_BINDING}" to wrangler.toml and deploy again (README: Email)`);
  const headers: Record<string, string> = {};
  if (args.thread.inReplyTo) headers["In-Reply-To"] = args.thread.inReplyTo;
  if (args.thread.references) headers.References = args.thread.references;
  try {
    await binding.send({ from: cfg.fromAddress, to, subject: args.thread.subject, text, headers, attachments: await mailAttachments(env.WORKSPACE, args.media) });
    return true;
  } catch (err) {
    return record(`the ${SEND_EMAIL_BINDING} binding refused it: ${String((err as Error).message ?? err).slice(0, 200)}`, "verify the address in Email Routing → Destination addresses (or allow it in the binding's allowed_destination_addresses)");
  }
}
