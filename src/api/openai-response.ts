import type { ToolCall } from "../providers/types.ts";
import type { TurnReply } from "../session-protocol/inbound.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import { collectReply, type SseFormat, streamSse } from "./sse-writer.ts";

export const hex = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, "0")).join("");
export const completionId = () => `chatcmpl-${hex(12)}`;

function usageOf(reply: TurnReply) {
  const { promptTokens, completionTokens } = reply.usage;
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

const toolCallsOf = (calls: ToolCall[]) => calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: c.arguments } }));

export function completionBody(id: string, model: string, reply: TurnReply) {
  const calls = reply.toolCalls ?? [];
  const message = calls.length
    ? { role: "assistant", content: reply.content || null, tool_calls: toolCallsOf(calls) }
    : { role: "assistant", content: reply.content };
  return {
    id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: reply.model || model,
    choices: [{ index: 0, message, finish_reason: calls.length ? "tool_calls" : "stop", logprobs: null }],
    usage: usageOf(reply),
  };
}

/** Waits for the turn to finish and answers with one chat.completion. */
export async function collectCompletion(events: AsyncIterable<TurnEvent>, model: string): Promise<Response> {
  return Response.json(completionBody(completionId(), model, await collectReply(events)));
}

/** chat.completion.chunk frames. */
function chunkFormat(model: string): SseFormat {
  const id = completionId();
  const chunk = (delta: object, finish: string | null, extra: object = {}, name = model) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: name, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  return {
    open: () => [chunk({ role: "assistant", content: "" }, null)],
    delta: (text) => [chunk({ content: text }, null)],
    done: (reply, streamed) => {
      const calls = reply.toolCalls ?? [];
      const frames = !streamed && reply.content ? [chunk({ content: reply.content }, null)] : [];
      if (calls.length) frames.push(chunk({ tool_calls: toolCallsOf(calls).map((c, index) => ({ index, ...c })) }, null));
      frames.push(chunk({}, calls.length ? "tool_calls" : "stop", { usage: usageOf(reply) }, reply.model || model));
      return frames;
    },
    error: (message, code) => [`data: ${JSON.stringify({ error: { message, type: "server_error", code } })}\n\n`],
    close: () => ["data: [DONE]\n\n"],
  };
}

/** Streams the turn as chat.completion.chunk events. */
export function streamCompletion(events: AsyncIterable<TurnEvent>, model: string): Promise<Response> {
  return streamSse(events, chunkFormat(model));
}
