import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/** The open platform host of each `domain`; `apiRoot` overrides it (a stand-in, a proxy). */
export function feishuApiRoot(f: Pick<FeishuConfig, "apiRoot" | "domain">): string {
  return (f.apiRoot || (f.domain === "lark" ? "https://open.larksuite.com" : "https://open.feishu.cn")).replace(/\/+$/, "");
}

export class FeishuApiError extends Error {
  override name = "FeishuApiError";
  constructor(
    readonly path: string,
    readonly code: number,
    readonly msg: string,
    /** From a 429's `x-ogw-ratelimit-reset` too long to wait inline: when the session's retry may try again. */
    readonly retryAfterS?: number,
  ) {
    super(`Feishu ${path} failed: code ${code} ${msg}`.trim());
  }
}

/**
 * Answers that mean "this tenant_access_token is no good" (missing, invalid, expired): the token is fetched
 * anew and the call made once more. 99991661 missing, 99991663 invalid, 99991668/99991677 expired.
 */
const TOKEN_CODES = new Set([99991661, 99991663, 99991668, 99991677]);
/** Feishu hands out a token for 2 h and a new one only in its last 30 min; we refresh 5 min before expiry. */
const REFRESH_EARLY_MS = 5 * 60_000;

/** Resolved tokens per isolate (never promises: one shared across requests can strand a waiter in workerd). */
const tokens = new Map<string, { token: string; expiresAt: number }>();
const tokenKey = (f: FeishuConfig) => `${feishuApiRoot(f)}\u0000${f.appId}\u0000${f.appSecret}`;

/** `tenant_access_token/internal` for a custom app, cached until shortly before it expires. */
export async function tenantAccessToken(f: FeishuConfig, fresh = false): Promise<string> {
  const key = tokenKey(f);
  const cached = tokens.get(key);
  if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
  const res = await fetch(`${feishuApiRoot(f)}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ app_id: f.appId, app_secret: f.appSecret }),
  });
  const body = (await res.json().catch(() => ({ code: -1, msg: `HTTP ${res.status}` }))) as { code: number; msg?: string; tenant_access_token?: string; expire?: number };
  if (body.code !== 0 || !body.tenant_access_token) throw new FeishuApiError("auth/v3/tenant_access_token/internal", body.code, body.msg ?? "");
  tokens.set(key, { token: body.tenant_access_token, expiresAt: Date.now() + (body.expire ?? 7200) * 1000 - REFRESH_EARLY_MS });
  return body.tenant_access_token;
}

export function forgetFeishuToken(f: FeishuConfig): void {
  tokens.delete(tokenKey(f));
}

type Body = Record<string, unknown> | FormData | undefined;

/** Feishu's rate limit answers 429 with `x-ogw-ratelimit-reset` (seconds); waits longer than this give up. */
const MAX_RATE_LIMIT_WAIT_S = 30;
const RATE_LIMIT_ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const rateLimitResetS = (res: Response) => Number(res.headers.get("x-ogw-ratelimit-reset") ?? "1") || 1;

/** One request; a 429 is waited out (up to RATE_LIMIT_ATTEMPTS tries) as Feishu's reset header says. */
async function send(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 429) return res;
    const resetS = rateLimitResetS(res);
    if (attempt >= RATE_LIMIT_ATTEMPTS || resetS > MAX_RATE_LIMIT_WAIT_S) return res;
    await res.body?.cancel();
    log({ event: "feishu_rate_limited", path: new URL(url).pathname, resetS });
    await sleep(resetS * 1000);
  }
}

/** One authenticated request; on a token error the token is refreshed and the request sent once more. */
async function authorized(f: FeishuConfig, method: string, path: string, body: Body): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const token = await tenantAccessToken(f, attempt > 0);
    const json = body !== undefined && !(body instanceof FormData);
    const res = await send(`${feishuApiRoot(f)}/open-apis/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(json ? { "content-type": "application/json; charset=utf-8" } : {}) },
      body: json ? JSON.stringify(body) : (body as FormData | undefined),
    });
    if (attempt > 0 || !(res.headers.get("content-type") ?? "").includes("application/json")) return res;
    // Token errors come back as JSON codes (with HTTP 400 or 401); anything else is the caller's to report.
    const peek = (await res.clone().json().catch(() => ({}))) as { code?: number };
    if (!TOKEN_CODES.has(peek.code ?? 0)) return res;
    await res.body?.cancel();
    log({ event: "feishu_token_refresh", path: path.split("?")[0], code: peek.code });
  }
}

/** A JSON API call: `{code: 0, data}` or a FeishuApiError with Feishu's code and msg. */
export async function feishuApi<T = Record<string, unknown>>(f: FeishuConfig, method: string, path: string, body?: Body): Promise<T> {
  const res = await authorized(f, method, path, body);
  const json = (await res.json().catch(() => ({ code: -1, msg: `HTTP ${res.status}` }))) as { code: number; msg?: string; data?: T };
  if (json.code !== 0) throw new FeishuApiError(path.split("?")[0], json.code, json.msg ?? "", res.status === 429 ? rateLimitResetS(res) : undefined);
  return (json.data ?? {}) as T;
}

/** A binary download (message resources): bytes on success, Feishu's JSON error otherwise. */
export async function feishuDownload(f: FeishuConfig, path: string, maxBytes: number, timeoutMs: number): Promise<{ bytes: ArrayBuffer; mimeType: string | null }> {
  const res = await Promise.race([
    authorized(f, "GET", path, undefined),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`download timed out after ${timeoutMs} ms`)), timeoutMs)),
  ]);
  const type = res.headers.get("content-type");
  if (!res.ok || (type ?? "").includes("application/json")) {
    const json = (await res.json().catch(() => ({ code: -1, msg: `HTTP ${res.status}` }))) as { code: number; msg?: string };
    throw new FeishuApiError(path.split("?")[0], json.code, json.msg ?? "");
  }
  if (Number(res.headers.get("content-length") ?? 0) > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
  const bytes = await res.arrayBuffer();
  if (bytes.byteLength > maxBytes) throw new Error(`file larger than ${maxBytes} bytes`);
  return { bytes, mimeType: type };
}

export interface FeishuBotInfo {
  open_id: string;
  app_name?: string;
}

/** The bot itself (its open_id recognises mentions), from `bot/v3/info` once per isolate and app. */
const bots = new Map<string, FeishuBotInfo>();
export async function feishuBotInfo(f: FeishuConfig): Promise<FeishuBotInfo> {
  const key = tokenKey(f);
  const known = bots.get(key);
  if (known) return known;
  const res = await authorized(f, "GET", "bot/v3/info", undefined);
  // This one answers `{code, msg, bot}` rather than `{code, msg, data}`.
  const json = (await res.json().catch(() => ({ code: -1, msg: `HTTP ${res.status}` }))) as { code: number; msg?: string; bot?: FeishuBotInfo };
  if (json.code !== 0 || !json.bot?.open_id) throw new FeishuApiError("bot/v3/info", json.code, json.msg ?? "");
  bots.set(key, json.bot);
  return json.bot;
}
