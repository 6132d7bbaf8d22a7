import type { ClientTools } from "../agent/client-tools.ts";
import type { ChatMessage, ToolCall } from "../providers/types.ts";
import type { SubagentTask } from "../subagents/types.ts";

/** A file the user sent, already stored in R2. */
export interface MediaRef {
  key: string;
  mimeType: string;
  name?: string;
  /** Audio length in seconds where the platform tells it (Telegram); checked against transcription.maxDurationSec. */
  durationS?: number;
}

/** One inbound message, the same shape whichever channel it came from. */
export interface InboundMessage {
  channel: string;
  chatId: string;
  senderId: string;
  senderName?: string;
  /** Platform handle where there is one (Telegram username); `allowFrom` may list it instead of the id. */
  senderUsername?: string;
  /** The platform's id of this message (Telegram message_id, Slack ts): replies and reactions point at it. */
  messageId?: string;
  text: string;
  media?: MediaRef[];
  threadId?: string;
  isGroup?: boolean;
  /** Other ids of the group (Discord: the server; QQ guilds: the guild): `groupAllowFrom` may name any of them. */
  groupIds?: string[];
  mentionsBot?: boolean;
  replyTo?: string;
  /** Platform event id (Telegram update_id, Slack event_id); redeliveries share it. */
  eventId?: string;
  /** Set when the message is a button press (Telegram callback_query id, Slack action id): `text` is the label. */
  buttonPress?: { id: string; messageId?: string };
  /** A URL that answers this message directly until `expiresAt` (ms): DingTalk's sessionWebhook. */
  replyWebhook?: { url: string; expiresAt: number };
}

/** What the Worker hands a session Durable Object. */
export interface TurnRequest {
  sessionKey: string;
  workspaceId: string;
  message: InboundMessage;
  /** Model preset for this turn only (API `model` field); otherwise the session's own. */
  preset?: string | null;
  /** Redeliveries with the same key are stored once and answered once. */
  dedupeKey?: string;
  /** Set when this session is a subagent working for another session. */
  subagent?: SubagentTask;
  /**
   * Set for turns started by a timer or an external trigger ("cron", "trigger", …): they wait for a running
   * turn to finish instead of being injected into it, and the cron tool refuses to schedule from them.
   */
  automation?: string;
  /** OpenAI API extras (chat completions and Responses API); absent for channel messages. */
  api?: ApiTurnOptions;
  /**
   * Files the platform still holds: downloaded into R2 by the session's alarm before the turn, not inside the
   * webhook (Slack retries a webhook that is not answered within 3 seconds).
   */
  files?: PendingFile[];
}

/** A platform file not yet in R2 (the same fields as src/channels/types.ts PlatformFile). */
export interface PendingFile {
  id: string;
  name?: string;
  mimeType?: string;
  url?: string;
  size?: number;
  durationS?: number;
}

export interface ApiTurnOptions {
  clientTools?: ClientTools;
  /** Logged before the turn: the prior context of a new Responses chain, or the client's tool results. */
  prelude?: ChatMessage[];
  /** The turn continues after the client's tool results: there is no new user message. */
  resume?: boolean;
  /** Responses API `instructions`: a system prompt section for this turn only. */
  instructions?: string;
  /**
   * Responses API with `store`: the outcome is kept in the session under `id` (GET /v1/responses/:id,
   * previous_response_id), with `echo`, the request fields the response object repeats (model, instructions…).
   */
  response?: { id: string; echo: Record<string, unknown> };
}

export interface TurnUsageSummary {
  promptTokens: number;
  completionTokens: number;
}

/** Outcome of one inbox item, stored with it so a retry never produces a second answer. */
export interface TurnReply {
  content: string;
  model: string;
  usage: TurnUsageSummary;
  stopReason: string;
  isCommand?: boolean;
  /** Files the turn produced for the user (e.g. generate_image), sent by the channel's `deliver` after the text. */
  media?: MediaRef[];
  /** stopReason "tool_calls": client tool calls the client must answer. */
  toolCalls?: ToolCall[];
}
