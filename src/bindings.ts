import type { ChatMessage } from "./providers/types.ts";
import type { TurnReply, TurnRequest } from "./session-protocol/inbound.ts";

/**
 * What the Worker may call on its Durable Objects, declared here so that `Env` (and with it every module that
 * reads a binding) does not import the object classes: the classes sit at the top of the import graph, this
 * surface at the bottom. Each class states that it implements its interface, so the two cannot drift apart.
 */

export interface SubmitResult {
  inboxId: number;
  duplicate: boolean;
  /** Set when the message was answered at once (slash commands, redeliveries of answered messages). */
  reply?: TurnReply;
}

/** A Responses API answer a session stored (GET /v1/responses/:id, previous_response_id). */
export interface StoredApiResponse {
  reply: TurnReply;
  echo: Record<string, unknown>;
  /** Whether nothing was logged after it (only such a response is continued in place; others branch). */
  latest: boolean;
}

/** durable-objects/session-do.ts: one object per session key. */
export interface SessionRpc extends Rpc.DurableObjectBranded {
  /** Stores a chat message and lets the alarm answer it; slash commands are answered inline. */
  submit(request: TurnRequest): Promise<SubmitResult>;
  /** `POST /turn`: stores the message, runs the turn and streams its events as NDJSON (the API). */
  fetch(request: Request): Promise<Response>;
  /** Requests that are not chat messages, by name (durable-objects/session/control-handlers.ts). */
  control(sessionKey: string, name: string, args?: Record<string, unknown>): Promise<unknown>;
  subagentBusy(): Promise<boolean>;
  cancelSubagent(): Promise<number>;
  apiResponse(id: string): Promise<StoredApiResponse | null>;
  apiHistory(id: string): Promise<ChatMessage[] | null>;
  deleteApiResponse(id: string): Promise<boolean>;
}

/** durable-objects/websocket-hub-do.ts: one hub per WebUI client id, spoken to over HTTP (fetch) only. */
export interface WebSocketHubRpc extends Rpc.DurableObjectBranded {
  fetch(request: Request): Promise<Response>;
}

/** durable-objects/rate-limiter-do.ts: per-sender message counters. */
export interface RateLimiterRpc extends Rpc.DurableObjectBranded {
  /** Counts one message; false when `limit` were already counted in the last `periodMs`. */
  hit(limit: number, periodMs: number, now?: number): Promise<boolean>;
}

/** What the Discord Gateway object says about its connection (`channels status`, the cron's reopen). */
export interface GatewayState {
  state: "disabled" | "connecting" | "connected" | "stopped";
  bot?: string;
  resumed?: number;
  error?: string;
}

/** durable-objects/discord-gateway-do.ts: the one Discord Gateway connection (`channels.discord.gateway`). */
export interface DiscordGatewayRpc extends Rpc.DurableObjectBranded {
  /** Opens the connection unless it is open; answers its state. */
  ensure(): Promise<GatewayState>;
  status(): GatewayState;
  close(): Promise<void>;
}
