import { SEND_EMAIL_BINDING } from "../../channels/email/send-mail.ts";
import { recentUndelivered } from "../../channels/undelivered.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "email";

/** The email channel's switches (consent, sender address, allowFrom), the SEND_EMAIL binding, and mail not sent. */
export async function emailCheck(ctx: DoctorContext): Promise<Finding[]> {
  const cfg = ctx.config.channels.email;
  if (!cfg.enabled) return [];
  const findings: Finding[] = [];
  if (!cfg.consentGranted) findings.push(finding(CHECK, "fail", "channels.email.consentGranted is false: every mail is dropped unread", "set channels.email.consentGranted to true to let the agent read and answer mail"));
  if (!cfg.fromAddress) findings.push(finding(CHECK, "fail", "channels.email.fromAddress is empty: answers have no sender", "set it to the address Email Routing sends to this Worker (Email → Email Routing → Routing rules → Send to a Worker)"));
  if (!cfg.allowFrom.length) findings.push(finding(CHECK, "fail", "channels.email.allowFrom is empty: every mail is dropped", 'list the sender addresses to serve (or "*" for anyone whose mail passes SPF, DKIM and DMARC)'));
  if (!ctx.env[SEND_EMAIL_BINDING]) {
    findings.push(finding(CHECK, "warn", `no ${SEND_EMAIL_BINDING} binding: answers to mail work, mail nobody replied to (cron, heartbeat, the message tool, slow answers) cannot be sent`, `add [[env.production.send_email]] name = "${SEND_EMAIL_BINDING}" to wrangler.toml and deploy again`));
  }
  const lost = await recentUndelivered(ctx.env.WORKSPACE, { channel: "email" });
  if (lost.length) {
    const last = lost[0];
    findings.push(finding(CHECK, "warn", `${lost.length} mail(s) not sent in the last 7 days; last to ${last.chatId} at ${new Date(last.at).toISOString()} ("${last.preview}"): ${last.reason}`, last.fix));
  }
  if (!findings.some((f) => f.status === "fail")) {
    findings.unshift(finding(CHECK, "ok", `answering mail to ${cfg.fromAddress} from ${cfg.allowFrom.includes("*") ? "anyone passing SPF/DKIM/DMARC" : cfg.allowFrom.join(", ")}`));
  }
  return findings;
}
