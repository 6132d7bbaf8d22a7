import { recentUndelivered } from "../../channels/undelivered.ts";
import { errorMessage, probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "whatsapp";
const TOKEN_FIX = "set channels.whatsapp.accessToken to a system-user token with whatsapp_business_messaging (business.facebook.com → Business settings → System users → Generate token)";
const REQUIRED = [
  ["phoneNumberId", "the Phone number ID from developers.facebook.com → your app → WhatsApp → API Setup"],
  ["appSecret", "the App secret from developers.facebook.com → your app → App settings → Basic (every delivery is refused without it)"],
  ["verifyToken", "any string of your choice, entered again as Verify token when you register the webhook URL"],
] as const;

/** The Cloud API's view of the phone number (token valid? right id?) and messages the 24-hour window kept back. */
export async function whatsappCheck(ctx: DoctorContext): Promise<Finding[]> {
  const wa = ctx.config.channels.whatsapp;
  if (!wa.enabled) return [];
  const findings: Finding[] = REQUIRED.filter(([key]) => !wa[key]).map(([key, what]) => finding(CHECK, "fail", `channels.whatsapp.${key} is empty`, `set it: ${what}`));
  const lost = await recentUndelivered(ctx.env.WORKSPACE, { channel: "whatsapp" });
  if (lost.length) {
    const last = lost[0];
    findings.push(finding(CHECK, "warn", `${lost.length} message(s) not delivered in the last 7 days; last to ${last.chatId} at ${new Date(last.at).toISOString()} ("${last.preview}"): ${last.reason}`, last.fix));
  }
  if (!wa.accessToken) return [...findings, finding(CHECK, "fail", "channels.whatsapp.accessToken is empty", TOKEN_FIX)];
  if (!wa.phoneNumberId) return findings;
  const url = `${wa.apiRoot.replace(/\/+$/, "")}/${encodeURIComponent(wa.phoneNumberId)}?fields=display_phone_number,verified_name`;
  const result = await probe(url, { headers: { authorization: `Bearer ${wa.accessToken}` } });
  if (!result.ok) return [...findings, finding(CHECK, "fail", `Graph API: ${result.reason}`, `check channels.whatsapp.apiRoot (${wa.apiRoot})`)];
  const res = result.response;
  if (res.status === 401) return [...findings, finding(CHECK, "fail", `the access token is wrong or expired: ${await errorMessage(res)}`, TOKEN_FIX)];
  if (!res.ok) return [...findings, finding(CHECK, "fail", `phone number ${wa.phoneNumberId}: ${await errorMessage(res)}`, "set channels.whatsapp.phoneNumberId to the Phone number ID shown in API Setup (not the phone number)")];
  const info = (await res.json()) as { display_phone_number?: string; verified_name?: string };
  findings.push(finding(CHECK, "ok", `phone number ${info.display_phone_number ?? wa.phoneNumberId}${info.verified_name ? ` (${info.verified_name})` : ""}; webhook ${ctx.origin}/webhooks/whatsapp`));
  return findings;
}
