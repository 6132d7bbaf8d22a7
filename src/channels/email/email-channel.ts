import type { EmailConfig } from "../../config/sections/channel-email.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef, TurnRequest } from "../../session-protocol/inbound.ts";
import { claimChannelEvent } from "../../pairing/pairing-store.ts";
import { workspaceIdFor } from "../../session-protocol/workspace-id.ts";
import { storeChannelFile } from "../media.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import type { ChannelAdapter } from "../types.ts";
import { recentUndelivered } from "../undelivered.ts";
import { emailSessionKey, mailToMessage, subjectOf, type MailEnvelope } from "./mail-envelope.ts";
import { replySubject } from "./parse-mail.ts";
import { SEND_EMAIL_BINDING, sendMail, type MailThread } from "./send-mail.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): EmailConfig => config.channels.email;

/**
 * Attachment bytes between the email() entry and parse, within one email event (never across events: the
 * entry removes its entries when it is done).
 */
export const attachmentStash = new Map<string, ArrayBuffer>();

/**
 * The email() event that received a mail answers it with `message.reply()` when the turn ends in time; the
 * session's delivery of the same reply waits this long and then claims it, so exactly one of them sends it.
 */
export const HANDOFF_GRACE_MS = 2_000;
export const replyClaimKey = (sessionKey: string, inboxId: number) => `email-reply:${sessionKey}#${inboxId}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function threadOf(request: TurnRequest, botName: string): MailThread {
  const { messageId, threadId, text } = request.message;
  const subject = subjectOf(text);
  if (!messageId) return { subject: subject ? replySubject(subject) : `Message from ${botName}`, inReplyTo: threadId, references: threadId };
  return { subject: replySubject(subject), inReplyTo: messageId, references: threadId && threadId !== messageId ? `${threadId} ${messageId}` : messageId };
}

export const emailChannel: ChannelAdapter = {
  name: "email",

  access: (config) => sectionAccess(settings(config)),

  /** Mail arrives through the Worker's email() handler only; nothing posted to /webhooks/email is accepted. */
  async verify() {
    return false;
  },

  /**
   * The attachments are stored here, not by the session's alarm as other channels' files are: their bytes exist
   * only in this email event (there is no platform to fetch them from later). mailToMessage has already applied
   * allowFrom and the authentication checks, so only admitted mail reaches R2.
   */
  async parse({ rawBody, env, config }) {
    const decision = mailToMessage(JSON.parse(rawBody) as MailEnvelope, settings(config));
    if (!decision.ok) return { kind: "ignore", reason: decision.reason };
    const workspaceId = workspaceIdFor(config, decision.message);
    const media: MediaRef[] = [];
    for (const file of decision.files) {
      const bytes = attachmentStash.get(file.id);
      if (bytes) media.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name));
    }
    return { kind: "message", message: { ...decision.message, media: [...(decision.message.media ?? []), ...media] }, files: [] };
  },

  sessionKey: emailSessionKey,

  outbound: {
    async deliver({ env, config, request, reply, inboxId, ledger = memoryLedger() }) {
      // A reply is one mail (one part): once it is on record, a resumed delivery has nothing left to send.
      if ((!reply.content.trim() && !reply.media?.length) || ledger.partsSent() >= 1) return;
      const answersMail = !request.automation && !!request.message.messageId;
      if (answersMail) {
        // Command answers exist before the email() event starts waiting, so it always sends them itself.
        if (reply.isCommand) return;
        await sleep(HANDOFF_GRACE_MS);
        if (!(await claimChannelEvent(env.DB, replyClaimKey(request.sessionKey, inboxId)))) return;
      }
      // Not sent → recorded for /status and doctor; not retried, as a retry would fail the same way.
      await sendMail({ env, cfg: settings(config), to: request.message.chatId, text: reply.content, media: reply.media, thread: threadOf(request, config.agents.defaults.botName) });
      ledger.markPartsSent(1);
    },

    async send({ env, config, target, text, media, buttons }) {
      const body = buttons?.length ? `${text}\n\n${buttonsAsText(buttons)}` : text;
      const thread: MailThread = { subject: `Message from ${config.agents.defaults.botName}`, inReplyTo: target.threadId, references: target.threadId };
      if (!(await sendMail({ env, cfg: settings(config), to: target.chatId, text: body, media, thread }))) {
        throw new Error(`the mail to ${target.chatId} could not be sent (recorded; /status and doctor say why)`);
      }
    },

    features: { files: true },
  },

  async status({ env, config }) {
    const cfg = settings(config);
    return {
      webhook: "email() handler (Email Routing)",
      bot: cfg.fromAddress || undefined,
      consentGranted: cfg.consentGranted,
      sendEmailBinding: Boolean(env[SEND_EMAIL_BINDING]),
      undelivered: (await recentUndelivered(env.WORKSPACE, { channel: "email" })).length,
    };
  },
};
