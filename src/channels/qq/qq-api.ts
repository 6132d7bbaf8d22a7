import type { QqConfig } from "../../config/sections/channel-qq.ts";

const OFFICIAL_API_ROOT = "https://api.sgroup.qq.com";
const OFFICIAL_TOKEN_URL = "https://bots.qq.com/app/getAppAccessToken";
/** Refresh this long before QQ's expiry: a token fetched just before expiring could die in flight. */
const EXPIRY_MARGIN_MS = 60_000;

export class QqApiError extends Error {
  override name = "QqApiError";
  constructor(
    readonly path: string,
    readonly status: number,
    /** QQ's own error code (`code` / `err_code` in the body) where it sends one. */
    readonly code: number | undefined,
    detail: string,
    /** A 429's Retry-After (seconds): when the session's retry may try again. */
    readonly retryAfterS?: number,
  ) {
    super(`QQ ${path} failed: HTTP ${status}${code !== undefined ? ` code ${code}` : ""} ${detail}`.trim());
  }
}

export function qqTokenUrl(qq: QqConfig): string {
  if (qq.tokenUrl) return qq.tokenUrl;
  const root = qq.apiRoot.replace(/\/+$/, "");
  return root === OFFICIAL_API_ROOT || root.endsWith(".api.sgroup.qq.com") ? OFFICIAL_TOKEN_URL : `${root}/app/getAppAccessToken`;
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const pending = new Map<string, Promise<string>>();
const tokenKey = (qq: QqConfig) => `${qqTokenUrl(qq)}\u0000${qq.appId}\u0000${qq.secret}`;

async function fetchToken(qq: QqConfig): Promise<string> {
  const res = await fetch(qqTokenUrl(qq), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ appId: qq.appId, clientSecret: qq.secret }) });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: string | number; code?: number; message?: string };
  if (!res.ok || !body.access_token) throw new QqApiError("getAppAccessToken", res.status, body.code, body.message ?? "no access_token");
  // expires_in arrives as a string of seconds ("7200").
  const ttlMs = Math.max(Number(body.expires_in ?? 7200) * 1000 - EXPIRY_MARGIN_MS, 0);
  tokens.set(tokenKey(qq), { token: body.access_token, expiresAt: Date.now() + ttlMs });
  return body.access_token;
}

/** The app access token, cached per isolate until shortly before it expires; concurrent callers share one fetch. */
export function qqAccessToken(qq: QqConfig, opts: { refresh?: boolean } = {}): Promise<string> {
  const key = tokenKey(qq);
  const cached = tokens.get(key);
  if (!opts.refresh && cached && cached.expiresAt > Date.now()) return Promise.resolve(cached.token);
  if (opts.refresh) tokens.delete(key);
  let inflight = pending.get(key);
  if (!inflight) {
    inflight = fetchToken(qq).finally(() => pending.delete(key));
    pending.set(key, inflight);
  }
  return inflight;
}

/** An OpenAPI call with `Authorization: QQBot <token>`; a 401 fetches a new token and tries once more. */
export async function qqApi<T = Record<string, unknown>>(qq: QqConfig, method: string, path: string, body?: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const token = await qqAccessToken(qq, { refresh: attempt > 1 });
    const res = await fetch(`${qq.apiRoot.replace(/\/+$/, "")}${path}`, {
      method,
      headers: { authorization: `QQBot ${token}`, "x-union-appid": qq.appId, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 && attempt === 1) {
      await res.body?.cancel();
      continue;
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // QQ answers JSON; anything else is reported by status below.
    }
    if (!res.ok) {
      const retryAfterS = res.status === 429 ? Number(res.headers.get("retry-after")) || undefined : undefined;
      throw new QqApiError(path.replace(/\/[A-Za-z0-9_-]{12,}/g, "/…"), res.status, (json.code ?? json.err_code) as number | undefined, String(json.message ?? "").slice(0, 200), retryAfterS);
    }
    return json as T;
  }
}
