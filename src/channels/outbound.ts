import type { AgentHooks } from "../agent/hooks.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { MediaRef, TurnReply, TurnRequest } from "../session-protocol/inbound.ts";

/**
 * How a session talks back to a chat platform. A channel registers one of these (one line in
 * src/channels/registry.ts); the session calls it after every turn and for proactive messages.
 */
export interface ChannelOutbound {
  /**
   * Sends a finished reply, text first and then `reply.media` (files tools produced); must be idempotent for one
   * inbox id (the alarm may retry a delivery).
   */
  deliver(args: { env: Env; config: Config; request: TurnRequest; reply: TurnReply; inboxId: number }): Promise<void>;
  /** Optional live feedback while the turn runs (typing indicator, streamed edits, reactions). */
  turnHooks?(args: { env: Env; config: Config; request: TurnRequest; inboxId: number }): AgentHooks | undefined;
  /**
   * Sends a message that answers nothing (pairing codes, the `message` tool, cron, heartbeat). `media`: files
   * already in R2 (MediaRef), sent after the text: images as photos where the platform has them, others as
   * files; `buttons` (rows of labels) are attached to the text where `features.buttons` is set.
   */
  send?(args: { env: Env; config: Config; target: ChatTarget; text: string; media?: MediaRef[]; buttons?: string[][] }): Promise<void>;
  /** What `send` can carry besides text; a channel without `files` cannot receive the `message` tool's media. */
  features?: { files?: boolean; buttons?: boolean };
}

/** Buttons as plain text, for chats without native buttons: the choices must still be visible. */
export const buttonsAsText = (buttons: string[][]) => buttons.map((row) => row.map((label) => `[${label}]`).join(" ")).join("\n");

/** Where a proactive message goes: a chat, and within it a thread or forum topic. */
export interface ChatTarget {
  chatId: string;
  threadId?: string;
}

const outbounds = new Map<string, ChannelOutbound>();

export function registerOutbound(channel: string, outbound: ChannelOutbound): void {
  outbounds.set(channel, outbound);
}

/** null for channels that read replies from the turn's event stream (the API, the WebUI). */
export function outboundFor(channel: string): ChannelOutbound | null {
  return outbounds.get(channel) ?? null;
}
