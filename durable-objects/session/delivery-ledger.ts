import type { DeliveryLedger } from "../../src/channels/outbound.ts";
import type { InboxStore } from "./inbox-store.ts";

/**
 * The delivery ledger of one inbox row, kept in the row's `delivery` column: each part is on record before the
 * next is sent, so a reset object resumes at the next part. Only a part in flight at the moment the object
 * died can reach the chat twice (the platform APIs take no idempotency key).
 */
export function inboxLedger(inbox: InboxStore, inboxId: number): DeliveryLedger {
  const update = (patch: Record<string, string | number | undefined>) => {
    const next: Record<string, string | number> = { ...inbox.deliveryState(inboxId) };
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) delete next[name];
      else next[name] = value;
    }
    inbox.setDeliveryState(inboxId, next);
  };
  return {
    partsSent: () => Number(inbox.deliveryState(inboxId).parts ?? 0),
    markPartsSent: (count) => update({ parts: count }),
    get: (name) => {
      const value = inbox.deliveryState(inboxId)[`v:${name}`];
      return value === undefined ? undefined : String(value);
    },
    set: (name, value) => update({ [`v:${name}`]: value }),
  };
}
