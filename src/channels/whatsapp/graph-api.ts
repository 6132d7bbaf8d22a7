import type { WhatsappConfig } from "../../config/sections/channel-whatsapp.ts";

/** A Graph API error (`{"error":{"message","code",…}}`); `code` is Meta's number, e.g. 131047 outside the 24-hour window. */
export class GraphApiError extends Error {
  override name = "GraphApiError";
  constructor(
    readonly path: string,
    readonly status: number,
    readonly code: number | undefined,
    detail: string,
    /** A 429's Retry-After (seconds), where Meta sends one: when the session's retry may try again. */
    readonly retryAfterS?: number,
  ) {
    super(`WhatsApp ${path} failed: HTTP ${status}${code ? ` (code ${code})` : ""}: ${detail}`);
  }
}

/** Meta's "Re-engagement message" error: more than 24 hours since the user last wrote; only templates go through. */
export const OUTSIDE_WINDOW_CODE = 131047;

const TIMEOUT_MS = 15_000;

export const graphUrl = (wa: WhatsappConfig, path: string) => `${wa.apiRoot.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;

/** One Graph API call with the access token; JSON bodies unless a FormData is given. Errors become GraphApiError. */
export async function graphApi<T = Record<string, unknown>>(wa: WhatsappConfig, path: string, init: { method?: string; json?: unknown; form?: FormData } = {}): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${wa.accessToken}` };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(graphUrl(wa, path), {
    method: init.method ?? (init.json !== undefined || init.form ? "POST" : "GET"),
    headers,
    body: init.form ?? (init.json !== undefined ? JSON.stringify(init.json) : undefined),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let body: { error?: { message?: string; code?: number; error_data?: { details?: string } } } & Record<string, unknown> = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported below when the status is an error
  }
  if (!res.ok || body.error) {
    const detail = body.error?.error_data?.details ?? body.error?.message ?? text.slice(0, 200);
    const retryAfterS = res.status === 429 ? Number(res.headers.get("retry-after")) || undefined : undefined;
    throw new GraphApiError(path.split("?")[0], res.status, body.error?.code, detail, retryAfterS);
  }
  return body as T;
}
