import { qqTokenUrl } from "../../channels/qq/qq-api.ts";
import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "qq";
const CREDENTIALS_FIX = "set channels.qq.appId and QQ_BOT_SECRET (channels.qq.secret) to the AppID and AppSecret at q.qq.com → your bot → 开发设置 (Development settings)";

/** getAppAccessToken with appId + secret: the same call every reply needs, and the secret also verifies callbacks. */
export async function qqCheck(ctx: DoctorContext): Promise<Finding[]> {
  const q = ctx.config.channels.qq;
  if (!q.enabled) return [];
  if (!q.appId || !q.secret) return [finding(CHECK, "fail", `channels.qq.${!q.appId ? "appId" : "secret"} is empty: every callback is refused and nothing can be sent`, CREDENTIALS_FIX)];
  const result = await probe(qqTokenUrl(q), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appId: q.appId, clientSecret: q.secret }) });
  if (!result.ok) return [finding(CHECK, "fail", `QQ token endpoint: ${result.reason}`, `check channels.qq.apiRoot / tokenUrl (${qqTokenUrl(q)})`)];
  const body = (await result.response.json().catch(() => ({}))) as { access_token?: string; code?: number; message?: string };
  if (body.access_token) return [finding(CHECK, "ok", `appId ${q.appId}: credentials accepted (access token issued)`)];
  return [finding(CHECK, "fail", `getAppAccessToken refused appId ${q.appId}: ${body.message ?? `HTTP ${result.response.status}`}${body.code ? ` (code ${body.code})` : ""}`, CREDENTIALS_FIX)];
}
