import type { ChatMessage, ToolCall } from "../../src/providers/types.ts";
import type { TurnReply, TurnRequest } from "../../src/session-protocol/inbound.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";

/** Client tool calls the model made that the client has not answered yet (survives a restart: it is SQLite). */
const PENDING_KEY = "client_calls_pending";
const responseKey = (id: string) => `api_response:${id}`;

/** A Responses API response as its session keeps it. */
export interface StoredApiResponse {
  reply: TurnReply;
  echo: Record<string, unknown>;
  /** Whether nothing was logged after it (only such a response is continued in place; others branch). */
  latest: boolean;
}

/**
 * Logs what the API sent besides the user message: a new chain's prior context, or the results of client
 * tool calls. A result names only its call id; the tool name comes from the call it answers (pending from the
 * last turn, or earlier in the prelude).
 */
export async function logApiPrelude(request: TurnRequest, turnId: number, messages: MessageStore, meta: MetaStore): Promise<void> {
  const pending = meta.get<ToolCall[]>(PENDING_KEY) ?? [];
  for (const message of request.api?.prelude ?? []) {
    if (message.role === "assistant") pending.push(...(message.toolCalls ?? []));
    if (message.role === "tool" && !message.name) {
      const call = pending.find((c) => c.id === message.toolCallId);
      // An answer to no pending call would be an orphan the provider rejects; the history repair drops it too.
      if (!call) continue;
      await messages.append({ ...message, name: call.name }, turnId);
    } else await messages.append(message, turnId);
  }
  // Calls left unanswered get a placeholder result when the history is replayed (history-window.ts).
  if (meta.get(PENDING_KEY)) meta.set(PENDING_KEY, null);
}

/**
 * After a turn: remembers pending client calls, and keeps a Responses API outcome under its id with its
 * position, the last message of the log it saw (a branch from it replays the log up to there).
 */
export function recordApiTurn(request: TurnRequest, reply: TurnReply, meta: MetaStore, messages: MessageStore): void {
  if (reply.toolCalls?.length) meta.set(PENDING_KEY, reply.toolCalls);
  const response = request.api?.response;
  if (!response) return;
  meta.set(responseKey(response.id), { reply, echo: response.echo, position: messages.lastId() });
}

/**
 * A stored response, and whether it is still the end of the log. Derived from its position rather than kept
 * as a "last response" key, so an unstored turn (store: false) logged after it also makes it a branch point.
 */
export function getApiResponse(meta: MetaStore, messages: MessageStore, id: string): StoredApiResponse | null {
  const stored = meta.get<Omit<StoredApiResponse, "latest"> & { position: number }>(responseKey(id));
  if (!stored) return null;
  const { position, ...rest } = stored;
  return { ...rest, latest: position === messages.lastId() };
}

/** The live conversation up to a stored response, for a new chain that branches from it (null: unknown id). */
export async function apiHistoryUntil(meta: MetaStore, messages: MessageStore, id: string): Promise<ChatMessage[] | null> {
  const position = meta.get<{ position?: number }>(responseKey(id))?.position;
  if (position === undefined) return null;
  return (await messages.range(messages.liveFloor(), position)).map((r) => r.message);
}

/** Deletes the stored response object; the conversation it was part of stays in the session's history. */
export function deleteApiResponse(meta: MetaStore, id: string): boolean {
  if (!meta.get(responseKey(id))) return false;
  meta.set(responseKey(id), null);
  return true;
}
