import type { SlackConfig } from "../../config/sections/channels.ts";

export class SlackApiError extends Error {
  override name = "SlackApiError";
  constructor(
    readonly method: string,
    readonly code: string,
    /** Seconds Slack's `Retry-After` asked for (429 only): the session's retry waits at least this long. */
    readonly retryAfterS?: number,
  ) {
    super(`Slack ${method} failed: ${code}`);
  }
}

const MAX_INLINE_RETRY_S = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls a Slack Web API method with the bot token, waiting out 429 Retry-After up to `attempts` times (default 3;
 * 1 = never wait: the status line skips an update rather than hold the turn). JSON body by default; `form` sends
 * application/x-www-form-urlencoded (objects as JSON strings), which methods such as
 * `files.getUploadURLExternal` require.
 */
export async function slackApi<T extends Record<string, unknown> = Record<string, unknown>>(slack: SlackConfig, method: string, body: Record<string, unknown>, options: { form?: boolean; attempts?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const encoded = options.form
    ? new URLSearchParams(Object.entries(body).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])).toString()
    : JSON.stringify(body);
  const contentType = options.form ? "application/x-www-form-urlencoded" : "application/json; charset=utf-8";
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${slack.apiRoot.replace(/\/+$/, "")}/${method}`, {
      method: "POST",
      headers: { authorization: `Bearer ${slack.botToken}`, "content-type": contentType },
      body: encoded,
    });
    if (res.status === 429) {
      const retryAfter = Number(res.headers.get("retry-after") ?? "1");
      await res.body?.cancel();
      if (attempt >= attempts || retryAfter > MAX_INLINE_RETRY_S) throw new SlackApiError(method, "ratelimited", retryAfter);
      console.log(JSON.stringify({ event: "slack_retry_after", method, retryAfterS: retryAfter }));
      await sleep(retryAfter * 1000);
      continue;
    }
    const json = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as T & { ok?: boolean; error?: string };
    if (!json.ok) throw new SlackApiError(method, json.error ?? `HTTP ${res.status}`);
    return json;
  }
}

const botUsers = new Map<string, Promise<string>>();

/** The bot's own user id (to recognise mentions), from `auth.test` once per isolate and token. */
export function slackBotUserId(slack: SlackConfig): Promise<string> {
  const key = `${slack.apiRoot}\u0000${slack.botToken}`;
  let id = botUsers.get(key);
  if (!id) {
    id = slackApi<{ user_id: string }>(slack, "auth.test", {}).then((r) => r.user_id);
    botUsers.set(key, id);
    id.catch(() => botUsers.delete(key));
  }
  return id;
}
