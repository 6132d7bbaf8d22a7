import { messages } from "../gateway-client.ts";
import type { Connection } from "../connection.ts";
import { describeNetworkError } from "../../src/doctor/probe.ts";
import { finding, type DoctorReport, type Finding } from "../../src/doctor/types.ts";

const HEALTH_TIMEOUT_MS = 5000;
// The Worker runs its checks in parallel; the slowest is a cold sandbox container (20 s).
const DOCTOR_TIMEOUT_MS = 35_000;

async function get(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<{ res: Response } | { error: string }> {
  try {
    return { res: await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) }) };
  } catch (err) {
    return { error: describeNetworkError(err, url, timeoutMs) };
  }
}

async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } | string };
  return (typeof body.error === "string" ? body.error : body.error?.message) ?? `HTTP ${res.status}`;
}

/** Asks the gateway (`/health`, then `GET /admin/doctor`); every way that can fail becomes a finding with a fix. */
export async function gatewayFindings(connection: Connection, local: boolean): Promise<Finding[]> {
  const { url, apiKey, keySource } = connection;
  const startFix = local ? "start it with `npm start` (or `npx nanobot gateway`)" : "check the URL (`npx nanobot deploy` prints it) and `npx wrangler deployments list --env production`";
  const health = await get(`${url}/health`, HEALTH_TIMEOUT_MS);
  if ("error" in health) return [finding("gateway", "fail", `not reachable at ${url}: ${health.error}`, startFix)];
  const healthBody = (await health.res.json().catch(() => ({}))) as { status?: string; error?: string };
  const findings: Finding[] = [];
  if (health.res.status === 200) findings.push(finding("gateway", "ok", `reachable at ${url}`));
  else findings.push(finding("gateway", "fail", `${url}/health answered ${health.res.status}: ${healthBody.error ?? healthBody.status ?? "no details"}`, local ? "fix what the config and secrets lines name; a running npm start picks the change up by itself" : "fix what the config and secrets lines name, then deploy again (`npx nanobot deploy`)"));
  if (!apiKey) return [...findings, finding("gateway", "fail", "no API key to ask the gateway's own checks with", messages.noKey(url))];
  const answer = await get(`${url}/admin/doctor`, DOCTOR_TIMEOUT_MS, { authorization: `Bearer ${apiKey}` });
  if ("error" in answer) return [...findings, finding("gateway", "fail", `GET /admin/doctor failed: ${answer.error}`, startFix)];
  const { res } = answer;
  if (res.status === 401) return [...findings, finding("gateway", "fail", `the gateway rejected the API key from ${keySource ?? "the command line"}`, messages.badKey(url, keySource ?? "the command line"))];
  if (res.status === 404) {
    await res.body?.cancel();
    return [...findings, finding("gateway", "warn", "the gateway has no /admin/doctor: it runs older code than this CLI", local ? "restart npm start" : "deploy again (`npx nanobot deploy`)")];
  }
  if (!res.ok) return [...findings, finding("gateway", "fail", `GET /admin/doctor answered ${res.status}: ${await errorText(res)}`, "fix what the message names, then restart the gateway")];
  const report = (await res.json()) as DoctorReport;
  return [...findings, ...report.findings];
}
