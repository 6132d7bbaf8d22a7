import type { ChannelOutbound } from "../channels/outbound.ts";
import type { Env } from "../env.ts";

/** WebUI chat ids on the channel side are `<client_id>:<chat_id>` (client ids have no ":"), so one id finds the hub. */
export function splitWebsocketChatId(chatId: string): { clientId: string; chatId: string } | null {
  const at = chatId.indexOf(":");
  if (at <= 0 || at === chatId.length - 1) return null;
  return { clientId: chatId.slice(0, at), chatId: chatId.slice(at + 1) };
}

async function push(env: Env, channelChatId: string, text: string): Promise<void> {
  const target = splitWebsocketChatId(channelChatId);
  if (!target) throw new Error(`not a WebUI chat id: ${channelChatId}`);
  const res = await env.WEBSOCKETS.getByName(target.clientId).fetch("https://hub/push", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: target.chatId, text }),
  });
  if (!res.ok) throw new Error(`WebUI hub answered ${res.status}`);
}

/**
 * The `websocket` channel's outbound side. Replies to messages typed in the page already streamed over the
 * socket, so only turns the user did not start (cron, triggers, notifications: `automation` is set) and
 * proactive sends (the `message` tool) are pushed; the hub stores them in the chat and shows them in open tabs.
 */
export const websocketOutbound: ChannelOutbound = {
  async deliver({ env, request, reply }) {
    if (!request.automation || !reply.content) return;
    await push(env, request.message.chatId, reply.content);
  },
  async send({ env, target, text }) {
    await push(env, target.chatId, text);
  },
};
