import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "slack";
const TOKEN_FIX = "set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from api.slack.com/apps → your app → OAuth & Permissions";
const BAD_TOKEN = new Set(["invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"]);

/** Slack's `auth.test`: is the bot token valid, and which bot and workspace is it. */
export async function slackCheck(ctx: DoctorContext): Promise<Finding[]> {
  const s = ctx.config.channels.slack;
  if (!s.enabled) return [];
  const findings: Finding[] = [];
  if (!s.signingSecret) findings.push(finding(CHECK, "fail", "channels.slack.signingSecret is empty: every event is refused", "set SLACK_SIGNING_SECRET (api.slack.com/apps → your app → Basic Information → Signing Secret)"));
  if (!s.botToken) return [...findings, finding(CHECK, "fail", "channels.slack.botToken is empty", TOKEN_FIX)];
  const result = await probe(`${s.apiRoot.replace(/\/+$/, "")}/auth.test`, { method: "POST", headers: { authorization: `Bearer ${s.botToken}` } });
  if (!result.ok) return [...findings, finding(CHECK, "fail", `Slack Web API: ${result.reason}`, `check channels.slack.apiRoot (${s.apiRoot})`)];
  const body = (await result.response.json().catch(() => ({ ok: false, error: `HTTP ${result.response.status}` }))) as { ok: boolean; error?: string; user?: string; team?: string };
  if (body.ok) findings.push(finding(CHECK, "ok", `bot token valid${body.user ? ` (@${body.user}${body.team ? ` in ${body.team}` : ""})` : ""}`));
  else if (BAD_TOKEN.has(body.error ?? "")) findings.push(finding(CHECK, "fail", `the bot token is wrong: auth.test answered ${body.error}`, TOKEN_FIX));
  else findings.push(finding(CHECK, "fail", `auth.test failed: ${body.error}`, "see api.slack.com/methods/auth.test for this error"));
  return findings;
}
