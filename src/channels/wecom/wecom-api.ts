import type { WecomConfig } from "../../config/sections/channel-wecom.ts";

/** WeCom answers errors as HTTP 200 with a non-zero `errcode`. */
export class WecomApiError extends Error {
  constructor(
    readonly method: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeCom ${method} failed: errcode ${errcode} (${errmsg})`);
  }

  /**
   * 45009 "api freq out of limit": WeCom sends no wait, and its message limits are counted per minute and hour
   * (30 a minute to one member), so the session's retry waits a minute rather than its default.
   */
  get retryAfterS(): number | undefined {
    return this.errcode === FREQ_LIMIT ? 60 : undefined;
  }
}

const FREQ_LIMIT = 45009;

interface WecomAnswer {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/** Tokens that are invalid or expired: fetch a new one once and repeat the call (WeCom error codes 40001, 40014, 42001). */
const STALE_TOKEN = new Set([40001, 40014, 42001]);
/** Refresh a little early so a token never expires between reading it and WeCom checking it. */
const EARLY_S = 300;
const TIMEOUT_MS = 10_000;

/** Access tokens per app, per isolate, until shortly before `expires_in` (7,200 s); WeCom limits how often gettoken may be called. */
const tokens = new Map<string, { token: string; expiresAt: number }>();

const root = (cfg: WecomConfig) => cfg.apiRoot.replace(/\/+$/, "");
const cacheKey = (cfg: WecomConfig) => `${root(cfg)}|${cfg.corpId}|${cfg.secret}`;

async function answerOf(method: string, res: Response): Promise<WecomAnswer> {
  const body = (await res.json().catch(() => null)) as WecomAnswer | null;
  if (!body) throw new WecomApiError(method, -1, `HTTP ${res.status}, not JSON`);
  return body;
}

export async function wecomAccessToken(cfg: WecomConfig, refresh = false): Promise<string> {
  const key = cacheKey(cfg);
  const cached = tokens.get(key);
  if (!refresh && cached && cached.expiresAt > Date.now()) return cached.token;
  const url = `${root(cfg)}/cgi-bin/gettoken?corpid=${encodeURIComponent(cfg.corpId)}&corpsecret=${encodeURIComponent(cfg.secret)}`;
  const body = await answerOf("gettoken", await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }));
  if (body.errcode || typeof body.access_token !== "string") throw new WecomApiError("gettoken", body.errcode ?? -1, body.errmsg ?? "no access_token");
  const expiresIn = typeof body.expires_in === "number" ? body.expires_in : 7200;
  tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(60, expiresIn - EARLY_S) * 1000 });
  return body.access_token;
}

/** Calls `path` with the access token; on a stale-token answer, refreshes the token once and repeats. */
async function withToken(cfg: WecomConfig, call: (token: string) => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const token = await wecomAccessToken(cfg, attempt > 0);
    const res = await call(token);
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    if (!isJson) return res;
    const body = (await res.clone().json().catch(() => ({}))) as WecomAnswer;
    if (attempt === 0 && body.errcode && STALE_TOKEN.has(body.errcode)) continue;
    return res;
  }
}

/** A JSON API call (`message/send`, …); throws WecomApiError on a non-zero errcode. */
export async function wecomApi(cfg: WecomConfig, method: string, payload: unknown): Promise<WecomAnswer> {
  const res = await withToken(cfg, (token) =>
    fetch(`${root(cfg)}/cgi-bin/${method}?access_token=${encodeURIComponent(token)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }),
  );
  const body = await answerOf(method, res);
  if (body.errcode) throw new WecomApiError(method, body.errcode, body.errmsg ?? "");
  return body;
}

/** `media/get`: the file's bytes, or WecomApiError when WeCom answers JSON (an expired or unknown media id). */
export async function wecomDownload(cfg: WecomConfig, mediaId: string, timeoutMs: number): Promise<{ bytes: ArrayBuffer; mimeType: string; name?: string }> {
  const res = await withToken(cfg, (token) =>
    fetch(`${root(cfg)}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(mediaId)}`, { signal: AbortSignal.timeout(timeoutMs) }),
  );
  const type = res.headers.get("content-type") ?? "application/octet-stream";
  if (type.includes("json") || type.startsWith("text/plain")) {
    const body = (await res.json().catch(() => ({}))) as WecomAnswer;
    throw new WecomApiError("media/get", body.errcode ?? -1, body.errmsg ?? `HTTP ${res.status}`);
  }
  if (!res.ok) throw new WecomApiError("media/get", -1, `HTTP ${res.status}`);
  const name = /filename="?([^";]+)"?/.exec(res.headers.get("content-disposition") ?? "")?.[1];
  return { bytes: await res.arrayBuffer(), mimeType: type.split(";")[0].trim(), name };
}

/** `media/upload` (multipart field `media`): a temporary media id for an image or file message. */
export async function wecomUpload(cfg: WecomConfig, type: "image" | "file", bytes: ArrayBuffer, name: string, mimeType: string): Promise<string> {
  const res = await withToken(cfg, (token) => {
    const form = new FormData();
    form.append("media", new File([bytes], name, { type: mimeType }));
    return fetch(`${root(cfg)}/cgi-bin/media/upload?access_token=${encodeURIComponent(token)}&type=${type}`, { method: "POST", body: form, signal: AbortSignal.timeout(TIMEOUT_MS * 3) });
  });
  const body = await answerOf("media/upload", res);
  if (body.errcode || typeof body.media_id !== "string") throw new WecomApiError("media/upload", body.errcode ?? -1, body.errmsg ?? "no media_id");
  return body.media_id;
}
