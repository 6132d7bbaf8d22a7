import { loadConfig } from "../../config/load-config.ts";
import type { Env } from "../../env.ts";
import { claimChannelEvent } from "../../pairing/pairing-store.ts";
import type { TurnReply, TurnRequest } from "../../session-protocol/inbound.ts";
import { conversationKey } from "../../session-protocol/session-key.ts";
import { streamTurn } from "../../session-protocol/session-client.ts";
import { workspaceIdFor } from "../../session-protocol/workspace-id.ts";
import { receiveInbound } from "../inbound-pipeline.ts";
import { attachmentStash, emailChannel, replyClaimKey } from "./email-channel.ts";
import { mailToMessage, type MailEnvelope } from "./mail-envelope.ts";
import { parseMail, replySubject } from "./parse-mail.ts";
import { mailAttachments, sendMail } from "./send-mail.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify({ channel: "email", ...fields }));

/**
 * The Worker's `email()` handler: Email Routing delivers each mail sent to the routed address here. The MIME is
 * parsed, then the mail takes the same inbound path as a webhook (checks, files, session inbox). This event
 * then waits for the answer and sends it with `message.reply()`, which keeps the thread (In-Reply-To and
 * References are set by the platform). Mail that is not acted on is dropped with a log line, never answered.
 */
export async function handleEmail(message: ForwardableEmailMessage, env: Env): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) return log({ event: "email_dropped", reason: `config error: ${loaded.error.message}` });
  const config = loaded.config;
  const cfg = config.channels.email;
  const access = emailChannel.access(config);
  if (!access) return log({ event: "email_dropped", reason: "channels.email.enabled is false" });
  if (!cfg.consentGranted) return log({ event: "email_dropped", reason: "channels.email.consentGranted is false" });
  let envelope: MailEnvelope;
  const stashed: string[] = [];
  try {
    const mail = await parseMail(await new Response(message.raw).arrayBuffer());
    const kept = mail.attachments.filter((a) => a.content.byteLength <= cfg.maxAttachmentSize).slice(0, cfg.maxAttachmentsPerEmail);
    const skipped = mail.attachments.filter((a) => !kept.includes(a)).map((a) => `${a.filename} (${a.content.byteLength} bytes)`);
    const attachments = kept.map((a) => {
      const stash = crypto.randomUUID();
      attachmentStash.set(stash, a.content);
      stashed.push(stash);
      return { stash, filename: a.filename, mimeType: a.mimeType, size: a.content.byteLength };
    });
    envelope = { mail: { ...mail, attachments: undefined } as MailEnvelope["mail"], envelopeFrom: message.from, to: message.to, attachments, skipped };
  } catch (err) {
    return log({ event: "email_dropped", reason: `unparseable MIME: ${String((err as Error).message ?? err).slice(0, 200)}` });
  }
  let status: string;
  try {
    const result = await receiveInbound(emailChannel, { rawBody: JSON.stringify(envelope), env, config }, access);
    status = result.kind === "done" ? result.status : "responded";
  } finally {
    for (const id of stashed) attachmentStash.delete(id);
  }
  // Ignored mail was logged by the pipeline; a redelivery is answered by the event that stored it first.
  if (status !== "stored") return;
  const decision = mailToMessage(envelope, cfg);
  if (!decision.ok) return;
  const request: TurnRequest = {
    sessionKey: conversationKey(config, decision.message, emailChannel.sessionKey(decision.message)),
    workspaceId: workspaceIdFor(config, decision.message),
    message: decision.message,
    dedupeKey: `email:${decision.message.eventId}`,
  };
  const answer = await awaitReply(env, request, cfg.replyWaitS * 1000);
  if (!answer) return log({ event: "email_reply_deferred", session: request.sessionKey, reason: `no answer within ${cfg.replyWaitS} s; the session sends it` });
  if (!answer.reply.content.trim() && !answer.reply.media?.length) return;
  if (!(await claimChannelEvent(env.DB, replyClaimKey(request.sessionKey, answer.inboxId)))) return;
  const subject = replySubject(envelope.mail.subject);
  try {
    await message.reply({ from: cfg.fromAddress, subject, text: answer.reply.content, attachments: await mailAttachments(env.WORKSPACE, answer.reply.media) });
    log({ event: "email_replied", session: request.sessionKey });
  } catch (err) {
    // e.g. the platform refuses replies to this mail: the thread continues through send_email where allowed.
    log({ event: "email_reply_failed", session: request.sessionKey, error: String((err as Error).message ?? err).slice(0, 200) });
    const references = [decision.message.threadId, decision.message.messageId].filter((v, i, a) => v && a.indexOf(v) === i).join(" ");
    await sendMail({ env, cfg, to: decision.message.chatId, text: answer.reply.content, media: answer.reply.media, thread: { subject, inReplyTo: decision.message.messageId, references } });
  }
}

/** Follows the stored message's turn (the same dedupe key finds it) until it is answered or time runs out. */
async function awaitReply(env: Env, request: TurnRequest, timeoutMs: number): Promise<{ inboxId: number; reply: TurnReply } | null> {
  if (timeoutMs <= 0) return null;
  const events = await streamTurn(env, request);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const follow = (async () => {
    let inboxId = -1;
    for await (const event of events) {
      if (event.type === "accepted") inboxId = event.inboxId;
      if (event.type === "done") return { inboxId, reply: event.reply };
      if (event.type === "error") return null;
    }
    return null;
  })();
  try {
    return await Promise.race([follow, timeout]);
  } finally {
    clearTimeout(timer);
    if (timer !== undefined) void events.return(undefined);
  }
}
