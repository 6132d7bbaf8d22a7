import type { DingtalkConfig } from "../../config/sections/channel-dingtalk.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
const DEFAULT_API_ROOT = "https://api.dingtalk.com";

export const dingtalkApiRoot = (d: Pick<DingtalkConfig, "apiRoot">) => d.apiRoot.replace(/\/+$/, "");

/**
 * The legacy `oapi` host (media upload, sessionWebhook URLs). With the default apiRoot it is DingTalk's own;
 * with another apiRoot (a stand-in, a proxy) that root serves both.
 */
export function dingtalkOapiRoot(d: Pick<DingtalkConfig, "apiRoot">): string {
  const root = dingtalkApiRoot(d);
  return root === DEFAULT_API_ROOT ? "https://oapi.dingtalk.com" : root;
}

export class DingtalkApiError extends Error {
  override name = "DingtalkApiError";
  constructor(
    readonly path: string,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`DingTalk ${path} failed: ${code} ${detail}`.trim());
  }

  /** 130101 "send too fast, exceed 20 times per minute" (robot messages): the session's retry waits a minute. */
  get retryAfterS(): number | undefined {
    return this.code === SEND_TOO_FAST ? 60 : undefined;
  }
}

const SEND_TOO_FAST = "130101";

/** DingTalk hands out a token for 2 h; we refresh 5 min before it expires. */
const REFRESH_EARLY_MS = 5 * 60_000;
/** Resolved tokens per isolate (never promises: one shared across requests can strand a waiter in workerd). */
const tokens = new Map<string, { token: string; expiresAt: number }>();
const tokenKey = (d: DingtalkConfig) => `${dingtalkApiRoot(d)}\u0000${d.clientId}\u0000${d.clientSecret}`;

/** The app's access token (`POST /v1.0/oauth2/accessToken`), cached until shortly before it expires. */
export async function dingtalkAccessToken(d: DingtalkConfig, fresh = false): Promise<string> {
  const key = tokenKey(d);
  const cached = tokens.get(key);
  if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
  const res = await fetch(`${dingtalkApiRoot(d)}/v1.0/oauth2/accessToken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ appKey: d.clientId, appSecret: d.clientSecret }),
  });
  const body = (await res.json().catch(() => ({}))) as { accessToken?: string; expireIn?: number; code?: string; message?: string };
  if (!res.ok || !body.accessToken) throw new DingtalkApiError("oauth2/accessToken", body.code ?? `HTTP ${res.status}`, body.message ?? "");
  tokens.set(key, { token: body.accessToken, expiresAt: Date.now() + (body.expireIn ?? 7200) * 1000 - REFRESH_EARLY_MS });
  return body.accessToken;
}

/** New-API answers that mean the token is no good: refreshed once and the call repeated. */
const isTokenError = (status: number, code: string | undefined) => status === 401 || code === "InvalidAuthentication";

/** A call to the new API (`/v1.0/…`) with the access token; errors carry DingTalk's `code` and `message`. */
export async function dingtalkApi<T = Record<string, unknown>>(d: DingtalkConfig, path: string, body: Record<string, unknown>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${dingtalkApiRoot(d)}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-acs-dingtalk-access-token": await dingtalkAccessToken(d, attempt > 0) },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as T & { code?: string; message?: string };
    if (res.ok) return json;
    if (attempt === 0 && isTokenError(res.status, json.code)) {
      log({ event: "dingtalk_token_refresh", path, status: res.status });
      continue;
    }
    throw new DingtalkApiError(path, json.code ?? `HTTP ${res.status}`, json.message ?? "");
  }
}

/** Legacy `oapi` errcodes for a bad token (40014 invalid, 42001 expired). */
const OAPI_TOKEN_ERRORS = new Set([40014, 42001]);

/** `oapi /media/upload` (image or file): the media_id robot messages refer to. */
export async function uploadDingtalkMedia(d: DingtalkConfig, type: "image" | "file", bytes: ArrayBuffer, name: string, mimeType: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const form = new FormData();
    form.set("media", new Blob([bytes], { type: mimeType }), name);
    const token = await dingtalkAccessToken(d, attempt > 0);
    const res = await fetch(`${dingtalkOapiRoot(d)}/media/upload?access_token=${encodeURIComponent(token)}&type=${type}`, { method: "POST", body: form });
    const json = (await res.json().catch(() => ({ errcode: -1, errmsg: `HTTP ${res.status}` }))) as { errcode?: number; errmsg?: string; media_id?: string };
    if (json.errcode === 0 && json.media_id) return json.media_id;
    if (attempt === 0 && OAPI_TOKEN_ERRORS.has(json.errcode ?? 0)) continue;
    throw new DingtalkApiError("media/upload", String(json.errcode), json.errmsg ?? "");
  }
}

/** Posts to a message's sessionWebhook (no token: the URL itself is the credential while it lasts). */
export async function postSessionWebhook(url: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({ errcode: -1, errmsg: `HTTP ${res.status}` }))) as { errcode?: number; errmsg?: string };
  if (json.errcode !== 0) throw new DingtalkApiError("sessionWebhook", String(json.errcode), json.errmsg ?? "");
}
