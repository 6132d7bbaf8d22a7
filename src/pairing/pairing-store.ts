import { newPairingCode } from "./pairing-code.ts";

export const PAIRING_TTL_MS = 10 * 60_000;
export const MAX_PENDING_PER_CHANNEL = 3;

export interface PairingRequest {
  code: string;
  channel: string;
  senderId: string;
  senderName: string | null;
  chatId: string;
  createdAt: number;
  expiresAt: number;
}

export interface Approval {
  channel: string;
  senderId: string;
  senderName: string | null;
  approvedAt: number;
  approvedBy: string | null;
}

export type PairingOutcome = { kind: "code"; code: string; isNew: boolean } | { kind: "full" };

const toRequest = (r: Record<string, unknown>): PairingRequest => ({
  code: r.code as string,
  channel: r.channel as string,
  senderId: r.sender_id as string,
  senderName: (r.sender_name as string | null) ?? null,
  chatId: r.chat_id as string,
  createdAt: r.created_at as number,
  expiresAt: r.expires_at as number,
});

/** Pairing requests and approvals in D1: shared by every session, the webhooks and the CLI. */
export class PairingStore {
  constructor(private readonly db: D1Database) {}

  async isApproved(channel: string, senderIds: string[]): Promise<boolean> {
    const ids = senderIds.filter(Boolean);
    if (!ids.length) return false;
    const row = await this.db
      .prepare(`SELECT 1 FROM pairing_approvals WHERE channel = ?1 AND sender_id IN (${ids.map((_, i) => `?${i + 2}`).join(", ")}) LIMIT 1`)
      .bind(channel, ...ids)
      .first();
    return row !== null;
  }

  /** The sender's pending code (reused while valid), a new one, or "full" when the channel has too many pending. */
  async request(args: { channel: string; senderId: string; senderName?: string; chatId: string }, now = Date.now()): Promise<PairingOutcome> {
    await this.db.prepare("DELETE FROM pairing_requests WHERE expires_at <= ?1").bind(now).run();
    const existing = await this.db
      .prepare("SELECT code FROM pairing_requests WHERE channel = ?1 AND sender_id = ?2 LIMIT 1")
      .bind(args.channel, args.senderId)
      .first<{ code: string }>();
    if (existing) return { kind: "code", code: existing.code, isNew: false };
    const pending = await this.db.prepare("SELECT COUNT(*) AS n FROM pairing_requests WHERE channel = ?1").bind(args.channel).first<{ n: number }>();
    if ((pending?.n ?? 0) >= MAX_PENDING_PER_CHANNEL) return { kind: "full" };
    const code = newPairingCode();
    await this.db
      .prepare("INSERT INTO pairing_requests (code, channel, sender_id, sender_name, chat_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(code, args.channel, args.senderId, args.senderName ?? null, args.chatId, now, now + PAIRING_TTL_MS)
      .run();
    return { kind: "code", code, isNew: true };
  }

  async pending(now = Date.now()): Promise<PairingRequest[]> {
    const { results } = await this.db.prepare("SELECT * FROM pairing_requests WHERE expires_at > ?1 ORDER BY created_at").bind(now).all();
    return results.map(toRequest);
  }

  async approved(): Promise<Approval[]> {
    const { results } = await this.db.prepare("SELECT * FROM pairing_approvals ORDER BY channel, approved_at").all();
    return results.map((r) => ({
      channel: r.channel as string,
      senderId: r.sender_id as string,
      senderName: (r.sender_name as string | null) ?? null,
      approvedAt: r.approved_at as number,
      approvedBy: (r.approved_by as string | null) ?? null,
    }));
  }

  /** Approves the sender behind a valid code; null when no such pending code exists. */
  async approve(code: string, approvedBy: string, now = Date.now()): Promise<PairingRequest | null> {
    const req = await this.take(code, now);
    if (!req) return null;
    await this.db
      .prepare(
        `INSERT INTO pairing_approvals (channel, sender_id, sender_name, approved_at, approved_by) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(channel, sender_id) DO UPDATE SET approved_at = excluded.approved_at, approved_by = excluded.approved_by`,
      )
      .bind(req.channel, req.senderId, req.senderName, now, approvedBy)
      .run();
    return req;
  }

  async deny(code: string, now = Date.now()): Promise<PairingRequest | null> {
    return this.take(code, now);
  }

  async approveSender(channel: string, senderId: string, approvedBy: string, now = Date.now()): Promise<void> {
    await this.db
      .prepare("INSERT OR REPLACE INTO pairing_approvals (channel, sender_id, approved_at, approved_by) VALUES (?1, ?2, ?3, ?4)")
      .bind(channel, senderId, now, approvedBy)
      .run();
  }

  async revoke(channel: string, senderId: string): Promise<boolean> {
    const res = await this.db.prepare("DELETE FROM pairing_approvals WHERE channel = ?1 AND sender_id = ?2").bind(channel, senderId).run();
    return (res.meta.changes ?? 0) > 0;
  }

  private async take(code: string, now: number): Promise<PairingRequest | null> {
    const row = await this.db.prepare("DELETE FROM pairing_requests WHERE code = ?1 RETURNING *").bind(code).first();
    if (!row) return null;
    const req = toRequest(row);
    return req.expiresAt > now ? req : null;
  }
}

/**
 * Records that the Worker itself answered a platform event (pairing code, rate-limit notice); false when it
 * already did, so a redelivered update gets no second answer.
 */
export async function claimChannelEvent(db: D1Database, key: string, now = Date.now()): Promise<boolean> {
  const res = await db.prepare("INSERT OR IGNORE INTO channel_events (event_key, created_at) VALUES (?1, ?2)").bind(key, now).run();
  if (Math.random() < 0.01) await db.prepare("DELETE FROM channel_events WHERE created_at < ?1").bind(now - 7 * 24 * 3600_000).run();
  return (res.meta.changes ?? 0) > 0;
}

/** Undoes a claim whose answer could not be sent, so the platform's redelivery (or the next poll) tries again. */
export async function releaseChannelEvent(db: D1Database, key: string): Promise<void> {
  await db.prepare("DELETE FROM channel_events WHERE event_key = ?1").bind(key).run();
}
