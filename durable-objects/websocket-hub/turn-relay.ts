import { loadConfig } from "../../src/config/load-config.ts";
import type { Env } from "../../src/env.ts";
import { conversationKey } from "../../src/session-protocol/session-key.ts";
import type { MediaRef, TurnReply, TurnRequest } from "../../src/session-protocol/inbound.ts";
import { streamTurn } from "../../src/session-protocol/session-client.ts";
import { readGoalState } from "../../src/webui/goal-state.ts";
import type { GoalStateBlob, ServerEvent } from "../../src/webui/protocol.ts";
import { TurnFrames } from "../../src/webui/turn-frames.ts";

export interface RelayInput {
  env: Env;
  clientId: string;
  chatId: string;
  workspaceId: string;
  text: string;
  media?: MediaRef[];
  turnId?: string;
  streaming: boolean;
  /** Sends one event to every socket attached to the chat. */
  broadcast: (event: ServerEvent) => void;
}

export interface RelayResult {
  reply: TurnReply | null;
  goal: GoalStateBlob | null;
}

/**
 * The chat's session: its own (`websocket:<client>:<chat>`), or the shared one under
 * agents.defaults.unifiedSession. A broken config keeps the chat's own; the turn then reports the config error.
 */
export function sessionKeyFor(env: Env, clientId: string, chatId: string): string {
  const channelKey = `websocket:${clientId}:${chatId}`;
  const config = loadConfig(env);
  return config.ok ? conversationKey(config.config, {}, channelKey) : channelKey;
}

/**
 * Runs one message through the chat's session DO and broadcasts its turn events as nanobot frames
 * (src/webui/turn-frames.ts). Returns the reply for the transcript and the session's goal state after it.
 */
export async function relayTurn(input: RelayInput): Promise<RelayResult> {
  const { chatId, broadcast } = input;
  const sessionKey = sessionKeyFor(input.env, input.clientId, chatId);
  const request: TurnRequest = {
    sessionKey,
    workspaceId: input.workspaceId,
    message: { channel: "websocket", chatId: `${input.clientId}:${chatId}`, senderId: input.clientId, text: input.text, ...(input.media?.length ? { media: input.media } : {}) },
  };
  const frames = new TurnFrames({ chatId, streaming: input.streaming, turnId: input.turnId });
  const emit = (list: ServerEvent[]) => list.forEach(broadcast);
  try {
    for await (const event of await streamTurn(input.env, request)) {
      if (event.type === "error") {
        emit(frames.failed(event.message, event.code));
        return { reply: null, goal: null };
      }
      if (event.type === "done") {
        const goal = await readGoalState(input.env, sessionKey).catch(() => null);
        emit(frames.done(event.reply, goal && (goal.active || goal.status === "blocked") ? { goal_state: goal } : {}));
        return { reply: event.reply, goal };
      }
      emit(frames.map(event));
    }
  } catch (err) {
    console.log(JSON.stringify({ event: "websocket_turn_failed", session: sessionKey, error: String((err as Error)?.message ?? err).slice(0, 300) }));
  }
  emit(frames.failed("The answer was interrupted. Please send the message again.", "turn_failed"));
  return { reply: null, goal: null };
}
