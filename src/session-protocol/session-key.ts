import type { Config } from "../config/schema.ts";
import type { InboundMessage } from "./inbound.ts";
import { senderSegment, workspaceIdFor } from "./workspace-id.ts";

/** nanobot's key for the one shared conversation (`agents.defaults.unifiedSession`). */
export const UNIFIED_SESSION_KEY = "unified:default";

type KeyedMessage = Pick<InboundMessage, "channel" | "senderId" | "threadId" | "isGroup">;

/**
 * The session a person's message belongs to. Normally the channel's own key (`telegram:42`, `api:cli`,
 * `websocket:<client>:<chat>`); with `agents.defaults.unifiedSession` every chat without a thread or forum
 * topic — Telegram and Slack DMs, WebUI chats, API/CLI sessions — shares `unified:default`, so a single user
 * continues one conversation wherever they write. Threads and topics stay conversations of their own, as in
 * nanobot. Each message keeps its own channel and chat, so replies still go where the message came from.
 *
 * With `agents.isolation: "user"` a session never mixes people, because its history, consolidation and
 * `/dream` all belong to one workspace: in a group chat (or a thread in one) each member has their own
 * session `<chat key>:user:<sender>` (nanobot's DingTalk group isolation, `dingtalk:group:<conv>:<sender>`),
 * and the unified conversation is one per user, `unified:<workspace id>`. A DM already is one person.
 */
export function conversationKey(config: Config, message: KeyedMessage, channelKey: string): string {
  const perUser = config.agents.isolation === "user";
  const key = perUser && message.isGroup ? `${channelKey}:user:${senderSegment(message.senderId)}` : channelKey;
  if (!config.agents.defaults.unifiedSession || message.threadId) return key;
  return perUser ? `unified:${workspaceIdFor(config, message)}` : UNIFIED_SESSION_KEY;
}
