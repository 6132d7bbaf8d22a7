/**
 * A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions API (JSON and SSE) and the
 * Anthropic Messages API (JSON and SSE), answering from scripts that tests register.
 *
 * Scripts: `POST /__scripts {match, steps}`. A request whose user messages contain the `match` text consumes
 * the next step of that script (tests use a unique token per test, so parallel test files never collide).
 * Without a matching script (or once its steps are used up) the answer echoes the last user text:
 * `echo: <text>`. `GET /__requests?match=…` returns the recorded request bodies that contained `match`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ScriptedToolCall, ScriptStep } from "./stand-in-llm-types.ts";
import { createMediaHandler } from "./stand-in-media.ts";

export type { ScriptedToolCall, ScriptStep };

interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  at: number;
  /** Milliseconds the stand-in spent on this request (benchmarks subtract it from end-to-end latency). */
  servedMs?: number;
}

export interface StandInLlm {
  url: string;
  close(): Promise<void>;
}

function userTexts(body: any): string[] {
  const texts: string[] = [];
  for (const m of body?.messages ?? []) {
    if (m.role !== "user" && m.role !== "tool") continue;
    if (typeof m.content === "string") texts.push(m.content);
    else if (Array.isArray(m.content))
      for (const p of m.content) {
        if (typeof p?.text === "string") texts.push(p.text);
        if (typeof p?.content === "string") texts.push(p.content);
      }
  }
  if (typeof body?.system === "string") texts.push(body.system);
  return texts;
}

function lastUserText(body: any): string {
  const msgs = (body?.messages ?? []).filter((m: any) => m.role === "user");
  const last = msgs[msgs.length - 1];
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return (last.content ?? [])
    .filter((p: any) => p.type === "text")
    .map((p: any) => p.text)
    .join(" ");
}

/** The paths a user message names in `[Attached file: <path> …]` / `[Attached image: <path> …]` notes. */
function attachedPaths(text: string): string[] {
  return [...text.matchAll(/\[Attached (?:file|image): ([^\s\],]+)/g)].map((m) => m[1]);
}

function readBuffer(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function chunks(text: string, size: number): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * `{{attached}}` in a scripted tool call's arguments becomes the first workspace path the request names in an
 * `[Attached file: <path> …]` line: files sent on a chat platform are downloaded when the turn starts, under a
 * name the test cannot know when it writes the script.
 */
function withAttachedPath(step: ScriptStep, texts: string[]): ScriptStep {
  if (!step.toolCalls?.some((c) => toolArgs(c).includes("{{attached}}"))) return step;
  const path = texts.map((t) => /\[Attached files?: ([^\s,\]]+)/.exec(t)?.[1]).find(Boolean) ?? "{{attached}}";
  return { ...step, toolCalls: step.toolCalls.map((c) => ({ ...c, arguments: toolArgs(c).split("{{attached}}").join(path) })) };
}

function toolArgs(call: ScriptedToolCall): string {
  return typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);
}

async function answerOpenAi(res: http.ServerResponse, body: any, step: ScriptStep, n: number) {
  const id = `chatcmpl-standin${n}`;
  const model = body.model ?? "stand-in";
  const calls = (step.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `call_${n}_${i}`, ...c }));
  const finish = step.finishReason ?? (calls.length ? "tool_calls" : "stop");
  const usage = step.usage ?? { prompt_tokens: JSON.stringify(body.messages ?? []).length >> 2, completion_tokens: 7 };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          {
            index: 0,
            finish_reason: finish,
            message: {
              role: "assistant",
              content: step.content ?? null,
              ...(step.reasoning ? { reasoning_content: step.reasoning } : {}),
              ...(calls.length
                ? { tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: toolArgs(c) } })) }
                : {}),
            },
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      }),
    );
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (delta: object, finish_reason: string | null = null, extra: object = {}) =>
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`,
    );
  send({ role: "assistant", content: "" });
  for (const piece of chunks(step.reasoning ?? "", step.chunkSize ?? 16)) {
    send({ reasoning_content: piece });
    if (step.chunkDelayMs) await sleep(step.chunkDelayMs);
  }
  for (const piece of chunks(step.content ?? "", step.chunkSize ?? 16)) {
    if (res.destroyed) return;
    send({ content: piece });
    if (step.chunkDelayMs) await sleep(step.chunkDelayMs);
  }
  calls.forEach((c, index) => {
    const args = toolArgs(c);
    const half = Math.ceil(args.length / 2);
    send({ tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: args.slice(0, half) } }] });
    send({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
  });
  send({}, finish);
  res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`);
  res.end("data: [DONE]\n\n");
}

async function answerAnthropic(res: http.ServerResponse, body: any, step: ScriptStep, n: number) {
  const calls = (step.toolCalls ?? []).map((c, i) => ({ id: c.id ?? `toolu_${n}_${i}`, ...c }));
  const stop = step.finishReason === "length" ? "max_tokens" : calls.length ? "tool_use" : "end_turn";
  const usage = step.usage
    ? { input_tokens: step.usage.prompt_tokens, output_tokens: step.usage.completion_tokens }
    : { input_tokens: 11, output_tokens: 7 };
  const content: any[] = [];
  if (step.reasoning) content.push({ type: "thinking", thinking: step.reasoning, signature: "sig" });
  if (step.content) content.push({ type: "text", text: step.content });
  for (const c of calls) content.push({ type: "tool_use", id: c.id, name: c.name, input: typeof c.arguments === "string" ? JSON.parse(c.arguments) : c.arguments });
  const message = { id: `msg_${n}`, type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null, usage };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(message));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  ev("message_start", { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: usage.input_tokens, output_tokens: 0 } } });
  content.forEach((block, index) => {
    if (block.type === "thinking") {
      ev("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } });
      ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking: block.thinking } });
      ev("content_block_delta", { index, delta: { type: "signature_delta", signature: block.signature } });
    } else if (block.type === "text") {
      ev("content_block_start", { index, content_block: { type: "text", text: "" } });
      for (const piece of chunks(block.text, step.chunkSize ?? 16)) ev("content_block_delta", { index, delta: { type: "text_delta", text: piece } });
    } else {
      ev("content_block_start", { index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
      ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    }
    ev("content_block_stop", { index });
  });
  ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  ev("message_stop", {});
  res.end();
}

export async function startStandInLlm(port = 0): Promise<StandInLlm> {
  const scripts = new Map<string, ScriptStep[]>();
  const recorded: RecordedRequest[] = [];
  let counter = 0;
  const media = createMediaHandler();

  const server = http.createServer(async (req, res) => {
    const started = performance.now();
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const buffer = await readBuffer(req);
      // Audio uploads and image generations (binary multipart): tests/support/stand-in-media.ts.
      if (await media(req, res, url, buffer)) return;
      const raw = buffer.toString("utf8");
      if (url.pathname === "/__scripts" && req.method === "POST") {
        const { match, steps } = JSON.parse(raw);
        scripts.set(match, [...steps]);
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === "/__requests") {
        const match = url.searchParams.get("match") ?? "";
        const hits = recorded.filter((r) => JSON.stringify(r.body).includes(match));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(hits));
        return;
      }
      if (req.method === "GET" && url.pathname.endsWith("/models")) {
        // The model list (OpenAI's and Anthropic's shape). A key starting "sk-revoked" is refused the way OpenAI
        // refuses a revoked key: 401, with part of the key quoted in the message.
        const key = String(req.headers["x-api-key"] ?? (req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
        if (key.startsWith("sk-revoked")) {
          const message = `Incorrect API key provided: ${key.slice(0, 6)}****${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
          res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message, type: "invalid_request_error", code: "invalid_api_key" } }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "test-model", object: "model", created: 0, owned_by: "stand-in" }] }));
        return;
      }
      const isOpenAi = url.pathname.endsWith("/chat/completions");
      const isAnthropic = url.pathname.endsWith("/messages");
      if (!isOpenAi && !isAnthropic) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      let body: any;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "invalid JSON" } }));
        return;
      }
      const record: RecordedRequest = { path: url.pathname, headers: req.headers, body, at: Date.now() };
      res.on("finish", () => (record.servedMs = performance.now() - started));
      recorded.push(record);
      if (recorded.length > 5000) recorded.splice(0, 1000);

      const texts = userTexts(body);
      let step: ScriptStep | undefined;
      // Longest match wins so a test's token is never shadowed by a shorter one.
      const matching = [...scripts.keys()].filter((m) => texts.some((t) => t.includes(m))).sort((a, b) => b.length - a.length);
      for (const m of matching) {
        const steps = scripts.get(m)!;
        if (steps.length) {
          step = steps.shift();
          break;
        }
      }
      step ??= { content: `echo: ${lastUserText(body)}` };
      if (step.readAttachments) step = { ...step, toolCalls: attachedPaths(lastUserText(body)).map((path) => ({ name: "read_file", arguments: { path } })) };
      step = withAttachedPath(step, texts);
      const n = ++counter;
      if (step.hang) {
        req.socket.setTimeout(0);
        return; // never answered; closed when the server closes
      }
      if (step.delayMs) await sleep(step.delayMs);
      if (step.status) {
        res.writeHead(step.status, { "content-type": "application/json", ...(step.headers ?? {}) });
        res.end(step.body ?? JSON.stringify({ error: { message: `stand-in error ${step.status}`, type: "server_error" } }));
        return;
      }
      if (step.body !== undefined) {
        res.writeHead(200, { "content-type": "application/json", ...(step.headers ?? {}) }).end(step.body);
        return;
      }
      if (isOpenAi) await answerOpenAi(res, body, step, n);
      else await answerAnthropic(res, body, step, n);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(err) } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
