import type { StoredApiResponse } from "../../durable-objects/session/api-turns.ts";
import type { Env } from "../env.ts";
import type { ChatMessage } from "../providers/types.ts";
import type { TurnReply } from "../session-protocol/inbound.ts";
import { sessionStub } from "../session-protocol/session-client.ts";
import { hex } from "./openai-response.ts";
import type { SseFormat } from "./sse-writer.ts";

/**
 * Ids name their session: `resp_<chain><own>` where `<chain>` (24 hex) is the session of the whole
 * previous_response_id chain (`api:resp_<chain>`), so any response or output item id leads straight to the
 * Durable Object that holds it, without an index to keep in step.
 */
const RESPONSE_ID = /^resp_([0-9a-f]{24})[0-9a-f]{16}$/;
const ITEM_ID = /^(?:msg|fc)_([0-9a-f]{40})(?:_\d+)?$/;

export const newChain = () => hex(12);
export const newResponseId = (chain: string) => `resp_${chain}${hex(8)}`;
export const chainOf = (responseId: string): string | null => RESPONSE_ID.exec(responseId)?.[1] ?? null;
export const sessionKeyOf = (chain: string) => `api:resp_${chain}`;
/** The response an output item id belongs to. */
export const responseOfItem = (itemId: string): string | null => {
  const match = ITEM_ID.exec(itemId);
  return match ? `resp_${match[1]}` : null;
};

/** The stored response with this id, from the session its id names; null for an unknown or malformed id. */
export async function storedResponse(env: Env, responseId: string): Promise<StoredApiResponse | null> {
  const chain = chainOf(responseId);
  if (!chain) return null;
  // The RPC type of a JSON-shaped record degrades to `never` in workers-types; it is plain JSON.
  return (await sessionStub(env, sessionKeyOf(chain)).apiResponse(responseId)) as unknown as StoredApiResponse | null;
}

/** The conversation up to a stored response (for a branch from an older response of a chain). */
export async function historyUntil(env: Env, responseId: string): Promise<ChatMessage[]> {
  const history = await sessionStub(env, sessionKeyOf(chainOf(responseId)!)).apiHistory(responseId);
  return (history ?? []) as unknown as ChatMessage[];
}

const messageItemId = (responseId: string) => `msg_${responseId.slice(5)}`;
const callItemId = (responseId: string, i: number) => `fc_${responseId.slice(5)}_${i}`;

const outputText = (text: string) => ({ type: "output_text", text, annotations: [], logprobs: [] });

function messageItem(responseId: string, text: string, status = "completed") {
  return { type: "message", id: messageItemId(responseId), status, role: "assistant", content: status === "completed" ? [outputText(text)] : [] };
}

export function outputItems(responseId: string, reply: TurnReply) {
  const items: Array<Record<string, unknown>> = [];
  if (reply.content) items.push(messageItem(responseId, reply.content));
  (reply.toolCalls ?? []).forEach((c, i) =>
    items.push({ type: "function_call", id: callItemId(responseId, i), call_id: c.id, name: c.name, arguments: c.arguments, status: "completed" }),
  );
  return items;
}

function usageOf(reply: TurnReply) {
  const { promptTokens, completionTokens } = reply.usage;
  return {
    input_tokens: promptTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: completionTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: promptTokens + completionTokens,
  };
}

/** The request fields a response object repeats; stored with the response so GET shows them too. */
export interface ResponseEcho {
  created_at: number;
  model: string;
  instructions: string | null;
  previous_response_id: string | null;
  store: boolean;
  tools: unknown[];
  tool_choice: unknown;
  metadata: Record<string, string>;
}

/** OpenAI's `response` object; without a reply it is the in-progress shell streamed first. */
export function responseObject(id: string, echo: ResponseEcho, reply?: TurnReply) {
  return {
    id,
    object: "response",
    created_at: echo.created_at,
    status: reply ? (reply.stopReason === "error" ? "failed" : "completed") : "in_progress",
    error: null,
    incomplete_details: null,
    instructions: echo.instructions,
    max_output_tokens: null,
    model: reply?.model || echo.model,
    output: reply ? outputItems(id, reply) : [],
    parallel_tool_calls: true,
    previous_response_id: echo.previous_response_id,
    reasoning: { effort: null, summary: null },
    store: echo.store,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: echo.tool_choice,
    tools: echo.tools,
    top_p: null,
    truncation: "disabled",
    usage: reply ? usageOf(reply) : null,
    user: null,
    metadata: echo.metadata,
  };
}

/** The Responses API's typed events, in OpenAI's order, each with its `sequence_number`. */
export function responseEventsFormat(id: string, echo: ResponseEcho): SseFormat {
  let sequence = 0;
  let messageOpen = false;
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`;
  const item_id = messageItemId(id);
  const openMessage = () => {
    messageOpen = true;
    return [
      event("response.output_item.added", { output_index: 0, item: messageItem(id, "", "in_progress") }),
      event("response.content_part.added", { item_id, output_index: 0, content_index: 0, part: outputText("") }),
    ];
  };
  const delta = (text: string) => [
    ...(messageOpen ? [] : openMessage()),
    event("response.output_text.delta", { item_id, output_index: 0, content_index: 0, delta: text, logprobs: [] }),
  ];
  return {
    open: () => [
      event("response.created", { response: responseObject(id, echo) }),
      event("response.in_progress", { response: responseObject(id, echo) }),
    ],
    delta,
    done: (done, streamed) => {
      // A turn stopped mid-answer has streamed text but no final content: the streamed text closes the item.
      const reply = !done.content && streamed ? { ...done, content: streamed } : done;
      const frames = !streamed && reply.content ? delta(reply.content) : [];
      const items = outputItems(id, reply);
      items.forEach((item, output_index) => {
        if (item.type === "message") {
          const text = reply.content;
          frames.push(
            event("response.output_text.done", { item_id, output_index, content_index: 0, text, logprobs: [] }),
            event("response.content_part.done", { item_id, output_index, content_index: 0, part: outputText(text) }),
          );
        } else {
          frames.push(
            event("response.output_item.added", { output_index, item: { ...item, arguments: "", status: "in_progress" } }),
            event("response.function_call_arguments.delta", { item_id: item.id, output_index, delta: item.arguments }),
            event("response.function_call_arguments.done", { item_id: item.id, output_index, name: item.name, arguments: item.arguments }),
          );
        }
        frames.push(event("response.output_item.done", { output_index, item }));
      });
      frames.push(event(reply.stopReason === "error" ? "response.failed" : "response.completed", { response: responseObject(id, echo, reply) }));
      return frames;
    },
    error: (message, code) => [event("error", { code, message, param: null })],
    close: () => [],
  };
}
