import type { TurnReply } from "../session/inbound.ts";
import type { TurnEvent } from "../session/turn-events.ts";
import { openAiError } from "./openai-error.ts";

const hex = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
export const completionId = () => `chatcmpl-${hex(12)}`;

function usageOf(reply: TurnReply) {
  const { promptTokens, completionTokens } = reply.usage;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function completionBody(id: string, model: string, reply: TurnReply) {
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model || model,
    choices: [{ index: 0, message: { role: "assistant", content: reply.content }, finish_reason: "stop", logprobs: null }],
    usage: usageOf(reply),
  };
}

function chunk(id: string, model: string, delta: object, finish: string | null, extra: object = {}) {
  return `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
}

/** A provider failure before anything was said is an HTTP error, so API clients can tell it from an answer. */
function failure(reply: TurnReply) {
  return openAiError(502, reply.content, "provider_error", "upstream_error");
}

/** Waits for the turn to finish and answers with one chat.completion. */
export async function collectCompletion(events: AsyncIterable<TurnEvent>, model: string): Promise<Response> {
  let streamed = "";
  for await (const event of events) {
    if (event.type === "delta") streamed += event.text;
    if (event.type === "error") throw openAiError(500, event.message, "server_error", event.code);
    if (event.type === "done") {
      if (event.reply.stopReason === "error" && !streamed) throw failure(event.reply);
      return Response.json(completionBody(completionId(), model, event.reply));
    }
  }
  throw openAiError(500, "The session ended the turn without an answer. Please retry.", "server_error", "turn_incomplete");
}

/**
 * Streams the turn as chat.completion.chunk events. Headers wait for the first delta so that a turn that
 * fails before saying anything still gets a proper HTTP error.
 */
export async function streamCompletion(events: AsyncIterable<TurnEvent>, model: string): Promise<Response> {
  const id = completionId();
  const iterator = events[Symbol.asyncIterator]();
  const buffered: TurnEvent[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    if (next.value.type === "delta") break;
    if (next.value.type === "error") throw openAiError(500, next.value.message, "server_error", next.value.code);
    if (next.value.type === "done") {
      if (next.value.reply.stopReason === "error") throw failure(next.value.reply);
      break;
    }
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      write(chunk(id, model, { role: "assistant", content: "" }, null));
      let streamed = false;
      const handle = (event: TurnEvent): boolean => {
        if (event.type === "delta" && event.text) {
          streamed = true;
          write(chunk(id, model, { content: event.text }, null));
        } else if (event.type === "done") {
          if (!streamed && event.reply.content) write(chunk(id, model, { content: event.reply.content }, null));
          write(chunk(id, event.reply.model || model, {}, "stop", { usage: usageOf(event.reply) }));
          return true;
        } else if (event.type === "error") {
          write(`data: ${JSON.stringify({ error: { message: event.message, type: "server_error", code: event.code } })}\n\n`);
          return true;
        }
        return false;
      };
      try {
        let finished = buffered.some(handle);
        while (!finished) {
          const next = await iterator.next();
          if (next.done) break;
          finished = handle(next.value);
        }
        write("data: [DONE]\n\n");
      } catch (err) {
        write(`data: ${JSON.stringify({ error: { message: String((err as Error)?.message ?? err), type: "server_error" } })}\n\n`);
      } finally {
        controller.close();
      }
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
}
