import type { AgentHooks } from "../../agent/hooks.ts";
import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";
import { feishuApi } from "./feishu-api.ts";
import { markdownCard } from "./feishu-card.ts";
import { postFeishu } from "./feishu-send.ts";

interface StreamCard {
  messageId?: string;
  text: string;
  shown: string;
  nextEditAt: number;
  timer?: ReturnType<typeof setTimeout>;
  chain: Promise<void>;
  finished: boolean;
}

/** Streamed cards of running turns in this isolate, keyed by session and inbox id. */
const streams = new Map<string, StreamCard>();

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
  const card: StreamCard = { messageId: args.messageId, text: "", shown: "", nextEditAt: Date.now() + args.intervalMs, chain: Promise.resolve(), finished: false };
  streams.set(args.key, card);
  const flush = () => {
    card.timer = undefined;
    card.chain = card.chain.then(async () => {
      if (card.finished) return;
      const snapshot = card.text.slice(0, args.maxChars);
      if (!snapshot.trim() || snapshot === card.shown) return;
      try {
        if (card.messageId === undefined) {
          card.messageId = await postFeishu(args.f, { chatId: args.chatId, replyTo: args.replyTo, inThread: args.inThread }, { msg_type: "interactive", content: markdownCard(snapshot) }, await args.uuid());
          if (card.messageId) args.onMessageId?.(card.messageId);
        } else await updateFeishuCard(args.f, card.messageId, snapshot);
        card.shown = snapshot;
      } catch (err) {
        console.log(JSON.stringify({ event: "feishu_stream_failed", error: String(err).slice(0, 200) }));
      }
      card.nextEditAt = Date.now() + args.intervalMs;
      schedule();
    });
  };
  const schedule = () => {
    if (card.finished || card.timer || card.text === card.shown) return;
    card.timer = setTimeout(flush, Math.max(0, card.nextEditAt - Date.now()));
  };
  return {
    onDelta(text) {
      card.text += text;
      schedule();
    },
  };
}

/** Stops a turn's stream and returns its card's message id (to be updated into the final reply), if one was sent. */
export async function finishStreamCard(key: string): Promise<string | undefined> {
  const card = streams.get(key);
  if (!card) return undefined;
  card.finished = true;
  if (card.timer) clearTimeout(card.timer);
  await card.chain;
  streams.delete(key);
  return card.messageId;
}
