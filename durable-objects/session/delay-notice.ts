import type { Outbounds } from "../../src/channels/outbound.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import { inboxLedger } from "./delivery-ledger.ts";
import type { InboxRow, InboxStore } from "./inbox-store.ts";

/** A chat message still unanswered this long after it arrived gets a notice (provider retries, a reset object). */
export const DELAY_NOTICE_MS = 60_000;
export const DELAY_NOTICE_TEXT = "⏳ Your answer is taking longer than usual (the service is retrying); it will follow here.";

/**
 * Arms the notice for one turn: it is sent once the message is a minute old and the turn still runs, at once
 * for a message that already waited that long (resumed after a reset, queued behind a long turn). At most once
 * per message: the ledger records it before the send. Returns the function that disarms it.
 */
export function armDelayNotice(args: { env: Env; config: Config; inbox: InboxStore; row: InboxRow; outbounds: Outbounds }): () => void {
  const { env, config, inbox, row } = args;
  const { request } = row;
  const outbound = args.outbounds.get(request.message.channel);
  // Timers, triggers and subagents have no one waiting; the API and WebUI see the turn's own events.
  if (!outbound?.send || request.automation || request.subagent) return () => undefined;
  const ledger = inboxLedger(inbox, row.id);
  if (ledger.get("delay-notice")) return () => undefined;
  const timer = setTimeout(() => {
    ledger.set("delay-notice", "sent");
    const target = { chatId: request.message.chatId, threadId: request.message.threadId };
    outbound.send!({ env, config, target, text: DELAY_NOTICE_TEXT }).catch((err) =>
      console.log(JSON.stringify({ event: "delay_notice_failed", session: request.sessionKey, error: String(err).slice(0, 200) })),
    );
  }, Math.max(0, row.createdAt + DELAY_NOTICE_MS - Date.now()));
  return () => clearTimeout(timer);
}
