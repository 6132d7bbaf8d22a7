import { retryAfterMsOf, type Outbounds } from "../../src/channels/outbound.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import type { Env } from "../../src/env.ts";
import type { AlarmSchedule } from "./alarm-schedule.ts";
import { inboxLedger } from "./delivery-ledger.ts";
import type { InboxStore } from "./inbox-store.ts";

/** A failed delivery is tried again this long after (or after the platform's retry_after, if longer). */
const DELIVERY_RETRY_MS = 30_000;
/** The schedule row that brings the object back to a delivery it did not finish (failed, or the object died). */
export const DELIVERY_RETRY_KEY = "delivery-retry";

export interface ReplyDeliveryDeps {
  env: Env;
  inbox: InboxStore;
  schedule: AlarmSchedule;
  outbounds: Outbounds;
  sessionKey(): string;
}

/**
 * Sends answered-but-undelivered replies through their channel, one at a time per object: the alarm's turn
 * loop, an inline command and a notification may all ask at once, and two runs over the same row would send
 * it twice. Progress is kept per part in the row's ledger (delivery-ledger.ts). A failed send stays
 * undelivered and is retried by the alarm, so a platform outage delays replies instead of losing them.
 */
export class ReplyDelivery {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ReplyDeliveryDeps) {}

  deliverPending(): Promise<void> {
    const run = this.chain.then(() => this.run());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async run(): Promise<void> {
    const { env, inbox, schedule } = this.deps;
    const rows = inbox.undelivered();
    if (!rows.length) return;
    const config = loadConfig(env);
    if (!config.ok) return;
    // Armed before the first send: if the object is reset mid-delivery, this alarm resumes it at the next part.
    await schedule.set(DELIVERY_RETRY_KEY, "inbox", Date.now() + DELIVERY_RETRY_MS);
    for (const row of rows) {
      const outbound = this.deps.outbounds.get(row.request.message.channel);
      if (!outbound) {
        inbox.markDelivered(row.id);
        continue;
      }
      try {
        await outbound.deliver({ env, config: config.config, request: row.request, reply: row.reply!, inboxId: row.id, ledger: inboxLedger(inbox, row.id) });
        inbox.markDelivered(row.id);
      } catch (err) {
        const wait = Math.max(DELIVERY_RETRY_MS, retryAfterMsOf(err) ?? 0);
        console.log(JSON.stringify({ event: "delivery_failed", session: this.deps.sessionKey(), inbox: row.id, retryInMs: wait, error: String(err).slice(0, 300) }));
        await schedule.set(DELIVERY_RETRY_KEY, "inbox", Date.now() + wait);
        return;
      }
    }
    await schedule.remove(DELIVERY_RETRY_KEY);
  }
}
