import { loadConfig } from "../../src/config/load-config.ts";
import type { Env } from "../../src/env.ts";
import { conversationKey } from "../../src/session/session-key.ts";
import type { MediaRef, TurnReply, TurnRequest } from "../../src/session/inbound.ts";
import { streamTurn } from "../../src/session/session-client.ts";
import type { ServerEvent } from "../../src/webui/protocol.ts";

export interface RelayInput {
  env: Env;
  clientId: string;
  chatId: string;
  workspaceId: string;
  text: string;
  media?: MediaRef[];
  /** Sends one event to every socket attached to the chat. */
  broadcast: (event: ServerEvent) => void;
}

export const sessionKeyFor = (clientId: string, chatId: string) => `websocket:${clientId}:${chatId}`;

/**
 * Runs one message through the chat's session DO and turns its NDJSON turn events into nanobot's
 * WebSocket events: `reasoning_delta`/`reasoning_end`, `delta`/`stream_end`, `message` for answers that
 * were not streamed (slash commands), then `turn_end`. Returns the reply for the transcript.
 */
export async function relayTurn(input: RelayInput): Promise<TurnReply | null> {
  const { chatId, broadcast } = input;
  const config = loadConfig(input.env);
  const channelKey = sessionKeyFor(input.clientId, chatId);
  const request: TurnRequest = {
    // A broken config is reported by the turn itself; the session key then stays the chat's own.
    sessionKey: config.ok ? conversationKey(config.config, {}, channelKey) : channelKey,
    workspaceId: input.workspaceId,
    message: { channel: "websocket", chatId: `${input.clientId}:${chatId}`, senderId: input.clientId, text: input.text, ...(input.media?.length ? { media: input.media } : {}) },
  };
  const streamId = crypto.randomUUID().slice(0, 8);
  let streamed = false;
  let reasoning = false;
  const endReasoning = () => {
    if (reasoning) broadcast({ type: "reasoning_end", chat_id: chatId, stream_id: streamId });
    reasoning = false;
  };
  try {
    for await (const event of await streamTurn(input.env, request)) {
      if (event.type === "reasoning_delta") {
        reasoning = true;
        broadcast({ type: "reasoning_delta", chat_id: chatId, text: event.text, stream_id: streamId });
      } else if (event.type === "delta") {
        endReasoning();
        streamed = true;
        broadcast({ type: "delta", chat_id: chatId, text: event.text, stream_id: streamId });
      } else if (event.type === "tool_start") {
        endReasoning();
        broadcast({ type: "tool_start", chat_id: chatId, id: event.id, name: event.name, args: event.args });
      } else if (event.type === "tool_end") {
        broadcast({ type: "tool_end", chat_id: chatId, id: event.id, name: event.name, ms: event.ms, is_error: event.isError });
      } else if (event.type === "error") {
        endReasoning();
        broadcast({ type: "error", chat_id: chatId, detail: event.message, code: event.code });
        broadcast({ type: "turn_end", chat_id: chatId, stop_reason: "error" });
        return null;
      } else if (event.type === "done") {
        endReasoning();
        if (streamed) broadcast({ type: "stream_end", chat_id: chatId, stream_id: streamId });
        else broadcast({ type: "message", chat_id: chatId, text: event.reply.content });
        broadcast({ type: "turn_end", chat_id: chatId, stop_reason: event.reply.stopReason });
        return event.reply;
      }
    }
  } catch (err) {
    console.log(JSON.stringify({ event: "websocket_turn_failed", session: request.sessionKey, error: String((err as Error)?.message ?? err).slice(0, 300) }));
  }
  broadcast({ type: "error", chat_id: chatId, detail: "The answer was interrupted. Please send the message again.", code: "turn_failed" });
  broadcast({ type: "turn_end", chat_id: chatId, stop_reason: "error" });
  return null;
}
