/**
 * A stand-in for the nanobot gateway, for CLI tests: a real node:http server speaking the gateway's
 * OpenAI-compatible API (`/health`, `/v1/models`, `/v1/chat/completions` as JSON or SSE) with bearer auth.
 * It replies `reply to: <last user message>` unless a test sets `reply`, records every request, and can hold
 * a stream after its first chunk until the test calls `release()` (to prove the client prints while streaming).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface GatewayRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: { messages?: Array<{ role: string; content: string }>; session_id?: string; stream?: boolean; model?: string } | null;
}

export interface StandInGatewayOptions {
  apiKey: string;
  /** Fixed reply text (default: echo of the last user message). */
  reply?: string;
  /** Size of streamed chunks. */
  chunkSize?: number;
  /** Hold the stream after the first chunk until `release()`. */
  holdAfterFirstChunk?: boolean;
  /** Send an OpenAI-shaped error event instead of finishing the stream. */
  streamError?: string;
  /** Canned answers for `/admin/*`, keyed "METHOD /admin/path" (CLI channels/pairing/deploy tests). */
  admin?: Record<string, { status?: number; body: unknown }>;
}

export interface StandInGateway {
  url: string;
  requests: GatewayRequest[];
  release(): void;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => resolve(raw));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export async function startStandInGateway(options: StandInGatewayOptions): Promise<StandInGateway> {
  const requests: GatewayRequest[] = [];
  let releaseHold: () => void = () => {};
  const held = new Promise<void>((r) => (releaseHold = r));

  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    let body: GatewayRequest["body"] = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return sendJson(res, 400, { error: { message: "invalid JSON", type: "invalid_request_error", code: "invalid_json" } });
    }
    requests.push({ method: req.method ?? "GET", path, authorization: req.headers.authorization, body });
    if (path === "/health") return sendJson(res, 200, { status: "ok" });
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, { error: { message: "Invalid API key.", type: "invalid_request_error", code: "invalid_api_key" } });
    }
    const canned = options.admin?.[`${req.method} ${path}`];
    if (path.startsWith("/admin/")) return canned ? sendJson(res, canned.status ?? 200, canned.body) : sendJson(res, 404, { error: { message: "not found" } });
    if (path === "/v1/models") return sendJson(res, 200, { object: "list", data: [{ id: "test-model", object: "model", owned_by: "nanobot" }] });
    if (path !== "/v1/chat/completions") return sendJson(res, 404, { error: { message: "not found", type: "invalid_request_error", code: "not_found" } });

    const last = body?.messages?.at(-1)?.content ?? "";
    const reply = options.reply ?? `reply to: ${last}`;
    if (!body?.stream) {
      return sendJson(res, 200, { id: "c1", object: "chat.completion", model: "test-model", choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: reply } }] });
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const chunk = (delta: object, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", model: "test-model", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    chunk({ role: "assistant", content: "" });
    const size = options.chunkSize ?? 8;
    for (let i = 0; i < reply.length; i += size) {
      chunk({ content: reply.slice(i, i + size) });
      if (i === 0 && options.holdAfterFirstChunk) await held;
    }
    if (options.streamError) {
      res.end(`data: ${JSON.stringify({ error: { message: options.streamError, type: "server_error", code: "provider_error" } })}\n\n`);
      return;
    }
    chunk({}, "stop");
    res.end("data: [DONE]\n\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    release: () => releaseHold(),
    close: () =>
      new Promise<void>((resolve) => {
        releaseHold();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
