import { CliError } from "./cli-error.ts";
import { DEFAULT_REPLY_TIMEOUT_S, DEFAULT_TIMEOUT_S, type Connection } from "./connection.ts";
import { stripErrorPrefix } from "./error-output.ts";
import { errorFromResponse, messages } from "./gateway-errors.ts";
import { sseData } from "../src/sse-data.ts";
import { GatewayTimeout, timedFetch, type TimedResponse } from "./timed-fetch.ts";

export { messages } from "./gateway-errors.ts";

export interface ChatRequest {
  message: string;
  session: string;
  model?: string;
  stream: boolean;
  /** Called with each piece of streamed reply text. */
  onDelta?: (text: string) => void;
  signal?: AbortSignal;
}

function isNetworkError(err: unknown): boolean {
  return err instanceof TypeError && /fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket/i.test(`${err.message} ${String((err as { cause?: unknown }).cause)}`);
}

interface RequestOptions extends RequestInit {
  auth?: boolean;
  /** How long the answer's headers may take (default: the connection's --timeout). */
  headersMs?: number;
}

/** Talks to a nanobot gateway over its HTTP API (the same one any OpenAI client uses). */
export class GatewayClient {
  readonly connection: Connection;
  constructor(connection: Connection) {
    this.connection = connection;
  }

  private get timeoutMs(): number {
    return (this.connection.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000;
  }

  private get replyTimeoutMs(): number {
    return (this.connection.replyTimeoutS ?? DEFAULT_REPLY_TIMEOUT_S) * 1000;
  }

  /** `replyLimit`: the limit was the reply timeout (a turn), not the plain request timeout. */
  private timeoutError(err: GatewayTimeout, what: string, replyLimit: boolean): CliError {
    const seconds = Math.round(err.ms / 100) / 10;
    const { url } = this.connection;
    return new CliError(replyLimit ? messages.noReply(url, seconds, what) : messages.noAnswer(url, seconds, what));
  }

  /** Sends a request; any failure becomes a CliError that says what was asked and what to do. */
  private async send(path: string, init: RequestOptions = {}): Promise<TimedResponse> {
    const { url, apiKey, keySource } = this.connection;
    const headers = new Headers(init.headers);
    if (init.auth !== false && apiKey) headers.set("authorization", `Bearer ${apiKey}`);
    const what = `${init.method ?? "GET"} ${path}`;
    let timed: TimedResponse;
    try {
      timed = await timedFetch(`${url}${path}`, { ...init, headers }, init.headersMs ?? this.timeoutMs);
    } catch (err) {
      if (err instanceof GatewayTimeout) throw this.timeoutError(err, what, init.headersMs !== undefined);
      if ((err as Error).name === "AbortError") throw err;
      if (isNetworkError(err)) throw new CliError(messages.unreachable(url));
      throw new CliError(`Request to ${url}${path} failed: ${stripErrorPrefix((err as Error).message)}`);
    }
    const res = timed.response;
    if (res.ok || (init.auth === false && path === "/health")) return timed;
    if (res.status === 401) {
      await res.body?.cancel();
      throw new CliError(apiKey ? messages.badKey(url, keySource ?? "the command line") : messages.noKey(url));
    }
    throw await errorFromResponse(res);
  }

  /** The whole body, read under a limit (the reply limit for a turn) so a stalled body ends with a message. */
  private async readJson<T>(timed: TimedResponse, what: string, replyLimit = false): Promise<T> {
    const parts: Uint8Array[] = [];
    try {
      for await (const chunk of timed.chunks(replyLimit ? this.replyTimeoutMs : this.timeoutMs)) parts.push(chunk);
    } catch (err) {
      if (err instanceof GatewayTimeout) throw this.timeoutError(err, what, replyLimit);
      throw err;
    }
    const text = Buffer.concat(parts).toString("utf8");
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`The gateway at ${this.connection.url} answered ${what} with something that is not JSON: ${text.slice(0, 200)}`);
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const timed = await this.send(path, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return this.readJson<T>(timed, `${method} ${path}`);
  }

  async health(signal?: AbortSignal): Promise<{ status: string; error?: string; httpStatus: number }> {
    const timed = await this.send("/health", { auth: false, signal });
    const body = await this.readJson<{ status?: string; error?: string }>(timed, "GET /health").catch(() => ({}) as { status?: string; error?: string });
    const res = timed.response;
    return { status: body.status ?? `HTTP ${res.status}`, error: body.error, httpStatus: res.status };
  }

  /**
   * Before a turn: the gateway's reply headers wait for the model's first words, so a hung or misconfigured
   * gateway is found here, within --timeout, instead of after the much longer reply limit.
   */
  async ready(signal?: AbortSignal): Promise<void> {
    const health = await this.health(signal);
    if (health.httpStatus === 503 && health.status === "error" && health.error) throw new CliError(messages.invalidConfig(health.error));
  }

  /** A JSON call to one of the gateway's management routes (e.g. /api/cron). */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  /** A JSON call to the owner-only `/admin/*` endpoints (channels, pairing, webhook setup). */
  async admin<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(body === undefined ? "GET" : "POST", `/admin${path}`, body);
  }

  async models(): Promise<string[]> {
    const body = await this.request<{ data?: Array<{ id: string }> }>("GET", "/v1/models");
    return (body.data ?? []).map((m) => m.id);
  }

  /** One turn in the session `api:<session>`; resolves with the whole reply text. */
  async chat(req: ChatRequest): Promise<string> {
    await this.ready(req.signal);
    const body = {
      ...(req.model ? { model: req.model } : {}),
      messages: [{ role: "user", content: req.message }],
      session_id: req.session,
      stream: req.stream,
    };
    const what = `POST /v1/chat/completions${req.stream ? ", streamed" : ""}`;
    const timed = await this.send("/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json", "x-session-id": req.session },
      body: JSON.stringify(body),
      signal: req.signal,
      headersMs: this.replyTimeoutMs,
    });
    const type = timed.response.headers.get("content-type") ?? "";
    if (!type.includes("text/event-stream")) {
      const json = await this.readJson<{ choices?: Array<{ message?: { content?: string | null } }> }>(timed, what, true);
      const text = json.choices?.[0]?.message?.content ?? "";
      req.onDelta?.(text);
      return text;
    }
    let reply = "";
    try {
      for await (const data of sseData(timed.chunks(this.replyTimeoutMs))) {
        if (data === "[DONE]") break;
        let chunk: { error?: { message?: string }; choices?: Array<{ delta?: { content?: string | null } }> };
        try {
          chunk = JSON.parse(data);
        } catch {
          continue; // a keep-alive or a non-JSON comment line
        }
        if (chunk.error) throw new CliError(`The gateway reported an error: ${stripErrorPrefix(chunk.error.message ?? JSON.stringify(chunk.error))}`);
        const piece = chunk.choices?.[0]?.delta?.content;
        if (piece) {
          reply += piece;
          req.onDelta?.(piece);
        }
      }
    } catch (err) {
      if (err instanceof GatewayTimeout) throw this.timeoutError(err, what, true);
      throw err;
    }
    return reply;
  }
}
