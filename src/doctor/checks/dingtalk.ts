import { dingtalkApiRoot } from "../../channels/dingtalk/dingtalk-api.ts";
import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "dingtalk";
const CONSOLE = "open-dev.dingtalk.com → your app → Credentials & Basic Info";

/** DingTalk: the client credentials sign callbacks and get the access token; both are checked here. */
export async function dingtalkCheck(ctx: DoctorContext): Promise<Finding[]> {
  const d = ctx.config.channels.dingtalk;
  if (!d.enabled) return [];
  if (!d.clientId || !d.clientSecret) {
    return [finding(CHECK, "fail", `channels.dingtalk.${d.clientId ? "clientSecret" : "clientId"} is empty${d.clientSecret ? "" : ": every callback is refused"}`, `copy the Client ID and Client Secret from ${CONSOLE}`)];
  }
  const root = dingtalkApiRoot(d);
  const result = await probe(`${root}/v1.0/oauth2/accessToken`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appKey: d.clientId, appSecret: d.clientSecret }) });
  if (!result.ok) return [finding(CHECK, "fail", `DingTalk API: ${result.reason}`, `check channels.dingtalk.apiRoot (${root})`)];
  const body = (await result.response.json().catch(() => ({}))) as { accessToken?: string; code?: string; message?: string };
  if (result.response.ok && body.accessToken) return [finding(CHECK, "ok", `client credentials valid (${d.clientId})`)];
  return [finding(CHECK, "fail", `accessToken refused: ${body.code ?? `HTTP ${result.response.status}`}${body.message ? ` ${body.message}` : ""}`, `check channels.dingtalk.clientId/clientSecret (${CONSOLE})`)];
}
