import type { Config } from "../config/schema.ts";
import type { InboundMessage } from "./inbound.ts";

/** nanobot's key for the one shared conversation (`agents.defaults.unifiedSession`). */
export const UNIFIED_SESSION_KEY = "unified:default";

/**
 * The session a person's message belongs to. Normally the channel's own key (`telegram:42`, `api:cli`,
 * `websocket:<client>:<chat>`); with `agents.defaults.unifiedSession` every chat without a thread or forum
 * topic — Telegram and Slack DMs, WebUI chats, API/CLI sessions — shares `unified:default`, so a single user
 * continues one conversation wherever they write. Threads and topics stay conversations of their own, as in
 * nanobot. Each message keeps its own channel and chat, so replies still go where the message came from.
 */
export function conversationKey(config: Config, message: Pick<InboundMessage, "threadId">, channelKey: string): string {
  if (!config.agents.defaults.unifiedSession || message.threadId) return channelKey;
  return UNIFIED_SESSION_KEY;
}
