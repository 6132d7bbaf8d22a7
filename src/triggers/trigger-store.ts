/**
 * Local triggers: `/trigger <name>` binds an id to a session; an external system posts to `/triggers/<id>`
 * with the bearer token shown once. D1 keeps only the token's SHA-256.
 */
export interface TriggerRecord {
  id: string;
  name: string;
  sessionKey: string;
  workspaceId: string;
  channel: string;
  chatId: string;
  tokenHash: string;
  createdAt: number;
}

// nanobot's alphabet: A–Z without I and O, digits 2–9, so ids survive being read aloud or retyped.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomFrom(alphabet: string, n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

export const newTriggerId = () => `trg_${randomFrom(ALPHABET, 8)}`;

export function newTriggerToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function saveTrigger(db: D1Database, t: TriggerRecord): Promise<void> {
  await db
    .prepare("INSERT INTO triggers (id, name, session_key, workspace_id, channel, chat_id, token_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
    .bind(t.id, t.name, t.sessionKey, t.workspaceId, t.channel, t.chatId, t.tokenHash, t.createdAt)
    .run();
}

const toRecord = (r: Record<string, unknown>): TriggerRecord => ({
  id: r.id as string,
  name: r.name as string,
  sessionKey: r.session_key as string,
  workspaceId: r.workspace_id as string,
  channel: r.channel as string,
  chatId: r.chat_id as string,
  tokenHash: r.token_hash as string,
  createdAt: r.created_at as number,
});

export async function findTrigger(db: D1Database, id: string): Promise<TriggerRecord | null> {
  const row = await db.prepare("SELECT * FROM triggers WHERE id = ?").bind(id).first();
  return row ? toRecord(row) : null;
}

export async function listTriggers(db: D1Database, sessionKey: string): Promise<TriggerRecord[]> {
  const { results } = await db.prepare("SELECT * FROM triggers WHERE session_key = ? ORDER BY created_at").bind(sessionKey).all();
  return results.map(toRecord);
}

export async function deleteTrigger(db: D1Database, sessionKey: string, id: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM triggers WHERE id = ? AND session_key = ?").bind(id, sessionKey).run();
  return (res.meta.changes ?? 0) > 0;
}

export async function markFired(db: D1Database, id: string): Promise<void> {
  await db.prepare("UPDATE triggers SET last_fired_at = ? WHERE id = ?").bind(Date.now(), id).run();
}
