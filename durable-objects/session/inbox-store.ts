import type { TurnReply, TurnRequest } from "../../src/session-protocol/inbound.ts";

export type InboxStatus = "pending" | "running" | "done" | "injected";

export interface InboxRow {
  id: number;
  request: TurnRequest;
  status: InboxStatus;
  attempts: number;
  reply: TurnReply | null;
  /** When the message was stored (ms since the epoch). */
  createdAt: number;
}

function toRow(r: Record<string, SqlStorageValue>): InboxRow {
  return {
    id: r.id as number,
    request: JSON.parse(r.payload as string),
    status: r.status as InboxStatus,
    attempts: r.attempts as number,
    reply: r.reply ? JSON.parse(r.reply as string) : null,
    createdAt: r.created_at as number,
  };
}

/**
 * Inbound messages are written here before anyone is told "received"; a turn claims a row with a lease,
 * so a crash mid-turn leaves the row to be picked up again by the alarm.
 */
export class InboxStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Stores the request unless its dedupe key was seen before; returns the (existing) row. */
  insert(request: TurnRequest): { row: InboxRow; duplicate: boolean } {
    if (request.dedupeKey) {
      const existing = this.sql.exec("SELECT * FROM inbox WHERE dedupe_key = ?", request.dedupeKey).toArray()[0];
      if (existing) return { row: toRow(existing), duplicate: true };
    }
    const row = this.sql
      .exec(
        "INSERT INTO inbox (dedupe_key, kind, payload, created_at) VALUES (?, 'message', ?, ?) RETURNING *",
        request.dedupeKey ?? null,
        JSON.stringify(request),
        Date.now(),
      )
      .one();
    return { row: toRow(row), duplicate: false };
  }

  get(id: number): InboxRow | null {
    const r = this.sql.exec("SELECT * FROM inbox WHERE id = ?", id).toArray()[0];
    return r ? toRow(r) : null;
  }

  /** Oldest item that is waiting, or whose previous run died (lease expired). */
  claimNext(leaseMs: number, now = Date.now()): InboxRow | null {
    const r = this.sql
      .exec(
        "SELECT * FROM inbox WHERE status = 'pending' OR (status = 'running' AND lease_until < ?) ORDER BY id LIMIT 1",
        now,
      )
      .toArray()[0];
    if (!r) return null;
    this.sql.exec("UPDATE inbox SET status = 'running', attempts = attempts + 1, lease_until = ? WHERE id = ?", now + leaseMs, r.id);
    return { ...toRow(r), status: "running", attempts: (r.attempts as number) + 1 };
  }

  /** Pending messages that can join the running turn (follow-ups from the same chat). */
  takePending(accept: (row: InboxRow) => boolean): InboxRow[] {
    const rows = this.sql.exec("SELECT * FROM inbox WHERE status = 'pending' ORDER BY id").toArray().map(toRow).filter(accept);
    for (const row of rows) this.sql.exec("UPDATE inbox SET status = 'injected', finished_at = ? WHERE id = ?", Date.now(), row.id);
    return rows;
  }

  extendLease(id: number, leaseMs: number): void {
    this.sql.exec("UPDATE inbox SET lease_until = ? WHERE id = ?", Date.now() + leaseMs, id);
  }

  complete(id: number, reply: TurnReply): void {
    this.sql.exec("UPDATE inbox SET status = 'done', reply = ?, finished_at = ?, lease_until = NULL WHERE id = ?", JSON.stringify(reply), Date.now(), id);
  }

  /** Replaces a waiting row's request (its files were downloaded). */
  updateRequest(id: number, request: TurnRequest): void {
    this.sql.exec("UPDATE inbox SET payload = ? WHERE id = ?", JSON.stringify(request), id);
  }

  /** A reply's delivery progress (see delivery-ledger.ts); {} before anything was sent. */
  deliveryState(id: number): Record<string, string | number> {
    const raw = this.sql.exec("SELECT delivery FROM inbox WHERE id = ?", id).toArray()[0]?.delivery as string | null | undefined;
    return raw ? JSON.parse(raw) : {};
  }

  setDeliveryState(id: number, state: Record<string, string | number>): void {
    this.sql.exec("UPDATE inbox SET delivery = ? WHERE id = ?", JSON.stringify(state), id);
  }

  markDelivered(id: number): void {
    this.sql.exec("UPDATE inbox SET delivered_at = ? WHERE id = ?", Date.now(), id);
  }

  /** Answered rows whose reply has not reached the chat yet (delivery failed or the object died first). */
  undelivered(): InboxRow[] {
    return this.sql.exec("SELECT * FROM inbox WHERE status = 'done' AND reply IS NOT NULL AND delivered_at IS NULL ORDER BY id").toArray().map(toRow);
  }

  /** Earliest moment the alarm must look again: now for waiting items, the lease end for running ones. */
  nextWake(now = Date.now()): number | null {
    const pending = this.sql.exec("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'").one().n as number;
    if (pending) return now;
    const lease = this.sql.exec("SELECT MIN(lease_until) AS t FROM inbox WHERE status = 'running'").one().t as number | null;
    return lease;
  }

  countWaiting(): number {
    return this.sql.exec("SELECT COUNT(*) AS n FROM inbox WHERE status IN ('pending', 'running')").one().n as number;
  }

  /** Finished rows are only needed for dedupe for a while. */
  prune(olderThanMs: number): void {
    this.sql.exec("DELETE FROM inbox WHERE status IN ('done', 'injected') AND finished_at < ?", Date.now() - olderThanMs);
  }
}
