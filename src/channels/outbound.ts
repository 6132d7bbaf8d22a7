import type { AgentHooks } from "../agent/hooks.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { MediaRef, TurnReply, TurnRequest } from "../session-protocol/inbound.ts";

/**
 * How a session talks back to a chat platform. A channel's adapter carries one (`ChannelAdapter.outbound`);
 * the composition root (src/wiring/channels.ts) collects them into `Outbounds`, which the session object and the
 * tools receive as a value; the session calls it after every turn and for proactive messages.
 */
export interface ChannelOutbound {
  /**
   * Sends a finished reply, text first and then `reply.media` (files tools produced); must be idempotent for one
   * inbox id (the alarm may retry a delivery).
   */
  deliver(args: { env: Env; config: Config; request: TurnRequest; reply: TurnReply; inboxId: number; ledger?: DeliveryLedger }): Promise<void>;
  /** Optional live feedback while the turn runs (typing indicator, streamed edits, reactions). */
  turnHooks?(args: { env: Env; config: Config; request: TurnRequest; inboxId: number; ledger?: DeliveryLedger }): AgentHooks | undefined;
  /**
   * Sends a message that answers nothing (pairing codes, the `message` tool, cron, heartbeat). `media`: files
   * already in R2 (MediaRef), sent after the text: images as photos where the platform has them, others as
   * files; `buttons` (rows of labels) are attached to the text where `features.buttons` is set.
   */
  send?(args: { env: Env; config: Config; target: ChatTarget; text: string; media?: MediaRef[]; buttons?: string[][] }): Promise<void>;
  /** What `send` can carry besides text; a channel without `files` cannot receive the `message` tool's media. */
  features?: { files?: boolean; buttons?: boolean };
}

/**
 * What the session remembers of one reply's way to the chat, in its SQLite rather than in memory: a Durable
 * Object can be reset between two parts of a long reply (deploy, eviction), and the new instance must continue
 * at the next part and edit the streamed preview instead of sending either again. The session passes one per
 * inbox row to `turnHooks` and `deliver`; `memoryLedger()` stands in where no session keeps one.
 */
export interface DeliveryLedger {
  /** How many parts of this reply (text parts, then files) are already in the chat. */
  partsSent(): number;
  /** Records that the first `count` parts reached the chat; call it after each part, before sending the next. */
  markPartsSent(count: number): void;
  /** Small values a channel must not lose to a reset, e.g. `preview`: the streamed preview's message id. */
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

/** A ledger kept only in memory (one delivery call), for callers without a session. */
export function memoryLedger(): DeliveryLedger {
  let parts = 0;
  const values = new Map<string, string>();
  return {
    partsSent: () => parts,
    markPartsSent: (count) => void (parts = count),
    get: (name) => values.get(name),
    set: (name, value) => void (value === undefined ? values.delete(name) : values.set(name, value)),
  };
}

/**
 * How long a platform asked us to wait before the next call, from a failed send: Telegram's
 * `parameters.retry_after` (grammY's GrammyError) or `retryAfterS`, the shape every other channel's API error
 * uses (Slack's and QQ's/WhatsApp's `Retry-After`, Discord's `retry_after`, Feishu's `x-ogw-ratelimit-reset`, a
 * minute for WeCom's 45009 and DingTalk's 130101 per-minute limits). Null when the error says nothing about it.
 */
export function retryAfterMsOf(err: unknown): number | null {
  const e = err as { parameters?: { retry_after?: unknown }; retryAfterS?: unknown } | null;
  const seconds = typeof e?.parameters?.retry_after === "number" ? e.parameters.retry_after : typeof e?.retryAfterS === "number" ? e.retryAfterS : null;
  return seconds === null ? null : seconds * 1000;
}

/** Buttons as plain text, for chats without native buttons: the choices must still be visible. */
export const buttonsAsText = (buttons: string[][]) => buttons.map((row) => row.map((label) => `[${label}]`).join(" ")).join("\n");

/** Where a proactive message goes: a chat, and within it a thread or forum topic. */
export interface ChatTarget {
  chatId: string;
  threadId?: string;
}

/**
 * Outbound side of every channel by name. A channel absent here (the API) reads replies from the turn's event
 * stream instead.
 */
export type Outbounds = ReadonlyMap<string, ChannelOutbound>;
