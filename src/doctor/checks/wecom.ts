import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "wecom";
const CONSOLE = "work.weixin.qq.com → App Management → your app";

/** The callback settings that every message needs, then `gettoken`: do corpId and secret open the app's API. */
export async function wecomCheck(ctx: DoctorContext): Promise<Finding[]> {
  const w = ctx.config.channels.wecom;
  if (!w.enabled) return [];
  const findings: Finding[] = [];
  if (!w.token) findings.push(finding(CHECK, "fail", "channels.wecom.token is empty: every callback is refused", `copy the Token from ${CONSOLE} → Receive Messages → Set API Receiving`));
  if (!/^[A-Za-z0-9+/]{43}$/.test(w.encodingAesKey)) findings.push(finding(CHECK, "fail", "channels.wecom.encodingAesKey is not the 43-character EncodingAESKey: callbacks cannot be decrypted", `copy the EncodingAESKey from ${CONSOLE} → Receive Messages → Set API Receiving`));
  if (!w.agentId) findings.push(finding(CHECK, "fail", "channels.wecom.agentId is empty: replies cannot be sent", `copy the AgentId from ${CONSOLE}`));
  if (!w.corpId || !w.secret) return [...findings, finding(CHECK, "fail", "channels.wecom.corpId or channels.wecom.secret is empty", `Corp ID: My Company → Company Information; Secret: ${CONSOLE}`)];
  const url = `${w.apiRoot.replace(/\/+$/, "")}/cgi-bin/gettoken?corpid=${encodeURIComponent(w.corpId)}&corpsecret=${encodeURIComponent(w.secret)}`;
  const result = await probe(url);
  if (!result.ok) return [...findings, finding(CHECK, "fail", `WeCom API: ${result.reason}`, `check channels.wecom.apiRoot (${w.apiRoot})`)];
  const body = (await result.response.json().catch(() => ({ errcode: -1, errmsg: `HTTP ${result.response.status}` }))) as { errcode?: number; errmsg?: string };
  if (!body.errcode) findings.push(finding(CHECK, "ok", `app secret valid (agent ${w.agentId})`));
  else findings.push(finding(CHECK, "fail", `gettoken answered errcode ${body.errcode} (${body.errmsg})`, "40013: wrong corpId; 40001: wrong secret; 60020: add the Worker's egress to the app's trusted IPs"));
  return findings;
}
