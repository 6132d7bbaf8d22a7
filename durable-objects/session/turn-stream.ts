import type { SubmitResult } from "../../src/bindings.ts";
import type { TurnReply, TurnRequest } from "../../src/session-protocol/inbound.ts";
import { encodeEvent, type TurnEvent } from "../../src/session-protocol/turn-events.ts";

/**
 * Who waits for the events of which inbox row. Held in memory only: an API caller whose isolate is gone has
 * no stream left to write to, and the stored reply answers its retry.
 */
export class TurnListeners {
  private readonly byInbox = new Map<number, Set<(event: TurnEvent) => void>>();

  listen(inboxId: number, listener: (event: TurnEvent) => void): void {
    let set = this.byInbox.get(inboxId);
    if (!set) this.byInbox.set(inboxId, (set = new Set()));
    set.add(listener);
  }

  /** A turn can answer several rows at once (follow-ups joined into it), so every row's listeners hear it. */
  emit(inboxIds: number[], event: TurnEvent): void {
    for (const id of inboxIds) for (const listener of this.byInbox.get(id) ?? []) listener(event);
  }

  forget(inboxIds: number[]): void {
    for (const id of inboxIds) this.byInbox.delete(id);
  }
}

export interface TurnStreamDeps {
  /** Stores the request (or finds it stored under its dedupe key). */
  accept(turn: TurnRequest): Promise<SubmitResult>;
  /** The reply already stored for a row, so a retried request is answered without a second turn. */
  storedReply(inboxId: number): TurnReply | null;
  listeners: TurnListeners;
  /** Starts processing the inbox; called only after the listener is in place, so no event is missed. */
  start(): Promise<void>;
}

/** The NDJSON answer to POST /turn: `accepted`, then the turn's events until `done` or `error`. */
export async function turnStreamResponse(turn: TurnRequest, deps: TurnStreamDeps): Promise<Response> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let open = true;
  // A caller that hung up must not fail the turn: writes after that are dropped.
  const send = (event: TurnEvent) => {
    if (!open) return;
    writer.write(encoder.encode(encodeEvent(event))).catch(() => (open = false));
  };
  const accepted = await deps.accept(turn);
  send({ type: "accepted", inboxId: accepted.inboxId, duplicate: accepted.duplicate });
  const existing = accepted.reply ?? deps.storedReply(accepted.inboxId);
  if (existing) {
    send({ type: "done", reply: existing });
    open = false;
    writer.close().catch(() => {});
  } else {
    deps.listeners.listen(accepted.inboxId, (event) => {
      send(event);
      if (event.type === "done" || event.type === "error") {
        open = false;
        writer.close().catch(() => {});
      }
    });
    await deps.start();
  }
  return new Response(readable, { headers: { "content-type": "application/x-ndjson" } });
}
