import type { DiscordConfig } from "../../config/sections/channel-discord.ts";

export class DiscordApiError extends Error {
  override name = "DiscordApiError";
  constructor(
    readonly route: string,
    readonly status: number,
    /** Discord's JSON error code (50027 Invalid Webhook Token, 10015 Unknown Webhook, …). */
    readonly code: number | undefined,
    detail: string,
    /** A 429's `retry_after` too long to wait inline: when the session's retry may try again. */
    readonly retryAfterS?: number,
  ) {
    super(`Discord ${route} failed: HTTP ${status}${code !== undefined ? ` code ${code}` : ""} ${detail}`.trim());
  }
}

/** A file sent with a message (multipart `files[n]`, described in `payload_json.attachments`). */
export interface DiscordFile {
  name: string;
  mimeType: string;
  bytes: ArrayBuffer;
}

const MAX_INLINE_RETRY_S = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A Discord REST call. `bot: true` sends `Authorization: Bot <token>`; interaction webhooks
 * (`/webhooks/{application_id}/{interaction token}`) are authorised by the token in the path and send none.
 * A 429 is waited out (its `retry_after`, seconds) up to three times. Files go as multipart with `payload_json`.
 */
export async function discordApi<T = Record<string, unknown>>(d: DiscordConfig, method: string, path: string, body: unknown, opts: { bot: boolean; files?: DiscordFile[] }): Promise<T> {
  const url = `${d.apiRoot.replace(/\/+$/, "")}${path}`;
  // Interaction tokens are credentials: the route in errors and logs leaves them out.
  const route = path.replace(/\/webhooks\/(\d+)\/[^/]+/, "/webhooks/$1/…");
  for (let attempt = 1; ; attempt++) {
    const headers: Record<string, string> = opts.bot ? { authorization: `Bot ${d.token}` } : {};
    let payload: BodyInit | undefined;
    if (opts.files?.length) {
      const form = new FormData();
      form.append("payload_json", JSON.stringify({ ...(body as object), attachments: opts.files.map((f, i) => ({ id: i, filename: f.name })) }));
      opts.files.forEach((f, i) => form.append(`files[${i}]`, new Blob([f.bytes], { type: f.mimeType }), f.name));
      payload = form;
    } else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const res = await fetch(url, { method, headers, body: payload });
    if (res.status === 204) return {} as T;
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (res.status === 429) {
      const retryAfter = Number(json.retry_after ?? res.headers.get("retry-after") ?? 1);
      if (attempt >= 3 || retryAfter > MAX_INLINE_RETRY_S) throw new DiscordApiError(`${method} ${route}`, 429, undefined, "rate limited", retryAfter);
      console.log(JSON.stringify({ event: "discord_retry_after", route, retryAfterS: retryAfter }));
      await sleep(retryAfter * 1000);
      continue;
    }
    if (!res.ok) throw new DiscordApiError(`${method} ${route}`, res.status, json.code as number | undefined, String(json.message ?? "").slice(0, 200));
    return json as T;
  }
}
