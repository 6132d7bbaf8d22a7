import { CliError } from "./cli-error.ts";
import type { Connection } from "./connection.ts";
import { sseData } from "./sse.ts";

export interface ChatRequest {
  message: string;
  session: string;
  model?: string;
  stream: boolean;
  /** Called with each piece of streamed reply text. */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
}

/** The errors a user sees, one sentence each, saying what to do. */
export const messages = {
  unreachable: (url: string) =>
    `Cannot reach the nanobot gateway at ${url}. Start it with \`npm start\` (or \`npx nanobot gateway\`).`,
  noKey: (url: string) =>
    `The gateway at ${url} needs an API key and none was found. Set NANOBOT_API_KEY, pass --api-key, ` +
    "or run inside the project folder (its .dev.vars / nanobot.config.json hold the key; `npx nanobot onboard` creates them).",
  badKey: (url: string, source: string) =>
    `The gateway at ${url} rejected the API key from ${source} (401). Set NANOBOT_API_KEY (or pass --api-key) ` +
    "to the gateway's api.apiKey: NANOBOT_API_KEY in the project's .dev.vars after `npx nanobot onboard`.",
};

function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket/i.test(`${err.message} ${String((err as { cause?: unknown }).cause)}`);
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    const msg = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (msg) return msg;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 500) || res.statusText;
}

/** Talks to a nanobot gateway over its HTTP API (the same one any OpenAI client uses). */
export class GatewayClient {
  readonly connection: Connection;
  constructor(connection: Connection) {
    this.connection = connection;
  }

  private async request(path: string, init: RequestInit & { auth?: boolean } = {}): Promise<Response> {
    const { url, apiKey, keySource } = this.connection;
    const headers = new Headers(init.headers);
    if (init.auth !== false && apiKey) headers.set("authorization", `Bearer ${apiKey}`);
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, { ...init, headers });
    } catch (err) {
      if ((err as Error).name === "AbortError") throw err;
      if (isNetworkError(err)) throw new CliError(messages.unreachable(url));
      throw new CliError(`Request to ${url}${path} failed: ${(err as Error).message}`);
    }
    if (res.ok) return res;
    if (res.status === 401) {
      await res.body?.cancel();
      throw new CliError(apiKey ? messages.badKey(url, keySource ?? "the command line") : messages.noKey(url));
    }
    throw new CliError(`The gateway answered ${res.status}: ${await errorText(res)}`);
  }

  async health(): Promise<{ status: string; error?: string; httpStatus: number }> {
    let res: Response;
    try {
      res = await fetch(`${this.connection.url}/health`);
    } catch (err) {
      if (isNetworkError(err)) throw new CliError(messages.unreachable(this.connection.url));
      throw err;
    }
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string };
    return { status: body.status ?? `HTTP ${res.status}`, error: body.error, httpStatus: res.status };
  }

  /** A JSON call to one of the gateway's management routes (e.g. /api/cron). */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return (await res.json()) as T;
  }

  /** A JSON call to the owner-only `/admin/*` endpoints (channels, pairing, webhook setup). */
  async admin<T>(path: string, body?: unknown): Promise<T> {
    const res = await this.request(`/admin${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  }

  async models(): Promise<string[]> {
    const res = await this.request("/v1/models");
    const body = (await res.json()) as { data?: Array<{ id: string }> };
    return (body.data ?? []).map((m) => m.id);
  }

  /** One turn in the session `api:<session>`; resolves with the whole reply text. */
  async chat(req: ChatRequest): Promise<string> {
    const body = {
      ...(req.model ? { model: req.model } : {}),
      messages: [{ role: "user", content: req.message }],
      session_id: req.session,
      stream: req.stream,
    };
    const res = await this.request("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-id": req.session },
      body: JSON.stringify(body),
      signal: req.signal,
    });
    const type = res.headers.get("content-type") ?? "";
    if (!type.includes("text/event-stream")) {
      const json = (await res.json()) as { choices?: Array<{ message?: { content?: string | null } }> };
      const text = json.choices?.[0]?.message?.content ?? "";
      req.onDelta?.(text);
      return text;
    }
    if (!res.body) return "";
    let reply = "";
    for await (const data of sseData(res.body)) {
      if (data === "[DONE]") break;
      let chunk: { error?: { message?: string }; choices?: Array<{ delta?: { content?: string | null } }> };
      try {
        chunk = JSON.parse(data);
      } catch {
        continue; // a keep-alive or a non-JSON comment line
      }
      if (chunk.error) throw new CliError(`The gateway reported an error: ${chunk.error.message ?? JSON.stringify(chunk.error)}`);
      const piece = chunk.choices?.[0]?.delta?.content;
      if (piece) {
        reply += piece;
        req.onDelta?.(piece);
      }
    }
    return reply;
  }
}
