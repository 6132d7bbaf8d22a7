import type { AgentHooks } from "../../agent/hooks.ts";
import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";
import { feishuApi } from "./feishu-api.ts";
import { markdownCard } from "./feishu-card.ts";
import { postFeishu } from "./feishu-send.ts";
import { retryAfterMsOf } from "../outbound.ts";
import { finishStreamedMessage, startStreamedMessage } from "../progress/streamed-message.ts";

/** Replaces the markdown of a card the bot sent (`PATCH im/v1/messages/:id`, interactive messages only). */
export function updateFeishuCard(f: FeishuConfig, messageId: string, markdown: string): Promise<unknown> {
  return feishuApi(f, "PATCH", `im/v1/messages/${encodeURIComponent(messageId)}`, { content: markdownCard(markdown) });
}

/**
 * The answer streamed into one card: posted (as a reply) after the first interval, so quick answers arrive as
 * a single card, then updated at most every `intervalMs` with the text so far (cut to one part's length).
 * `finishStreamCard` hands the card to delivery, which puts the final text in it. Failures only log: the
 * final delivery does not depend on the preview.
 */
export function feishuStreamHooks(args: {
  f: FeishuConfig;
  chatId: string;
  replyTo?: string;
  inThread: boolean;
  key: string;
  uuid: () => Promise<string>;
  intervalMs: number;
  maxChars: number;
  /** The card an earlier run of this turn already posted (from the delivery ledger): updated, not posted again. */
  messageId?: string;
  /** Told the new card's id as soon as it is posted, so it outlives a reset of the session object. */
  onMessageId?: (id: string) => void;
}): AgentHooks {
  const card = startStreamedMessage<string>({
    key: args.key,
    intervalMs: args.intervalMs,
    maxChars: args.maxChars,
    messageId: args.messageId,
    onMessageId: args.onMessageId,
    send: async (text) => postFeishu(args.f, { chatId: args.chatId, replyTo: args.replyTo, inThread: args.inThread }, { msg_type: "interactive", content: markdownCard(text) }, await args.uuid()),
    edit: async (id, text) => void (await updateFeishuCard(args.f, id, text)),
    retryAfterMs: retryAfterMsOf,
    failureEvent: "feishu_stream_failed",
  });
  return { onDelta: (text) => card.append(text) };
}

/** Stops a turn's stream and returns its card's message id (to be updated into the final reply), if one was sent. */
export const finishStreamCard = (key: string) => finishStreamedMessage<string>(key);
