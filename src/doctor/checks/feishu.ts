import { feishuApiRoot } from "../../channels/feishu/feishu-api.ts";
import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "feishu";
const CONSOLE = "Developer Console → your app → Credentials & Basic Info";

/** Feishu/Lark: the settings an event needs to be accepted, and whether the app credentials get a token. */
export async function feishuCheck(ctx: DoctorContext): Promise<Finding[]> {
  const f = ctx.config.channels.feishu;
  if (!f.enabled) return [];
  const findings: Finding[] = [];
  if (!f.encryptKey && !f.verificationToken) {
    findings.push(finding(CHECK, "fail", "channels.feishu has neither encryptKey nor verificationToken: every event is refused", "copy the Encrypt Key and Verification Token from Events & Callbacks → Encryption Strategy"));
  } else if (!f.encryptKey) {
    findings.push(finding(CHECK, "warn", "channels.feishu.encryptKey is empty: events arrive unsigned and in clear text, checked only by the verification token", "set an Encrypt Key in Events & Callbacks → Encryption Strategy and copy it to channels.feishu.encryptKey"));
  }
  if (!f.appId || !f.appSecret) return [...findings, finding(CHECK, "fail", `channels.feishu.${f.appId ? "appSecret" : "appId"} is empty`, `copy the App ID and App Secret from ${CONSOLE}`)];
  const root = feishuApiRoot(f);
  const result = await probe(`${root}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ app_id: f.appId, app_secret: f.appSecret }),
  });
  if (!result.ok) return [...findings, finding(CHECK, "fail", `Feishu open platform: ${result.reason}`, `check channels.feishu.domain / apiRoot (${root})`)];
  const body = (await result.response.json().catch(() => ({ code: -1, msg: `HTTP ${result.response.status}` }))) as { code: number; msg?: string };
  if (body.code === 0) findings.push(finding(CHECK, "ok", `app credentials valid (${f.appId} at ${root})`));
  else findings.push(finding(CHECK, "fail", `tenant_access_token refused: code ${body.code} ${body.msg ?? ""}`.trim(), `check channels.feishu.appId/appSecret (${CONSOLE}) and domain ("feishu" for open.feishu.cn, "lark" for open.larksuite.com)`));
  return findings;
}
