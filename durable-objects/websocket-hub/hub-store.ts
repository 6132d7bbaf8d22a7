import type { ChatSummary, TranscriptEntry } from "../../src/webui/protocol.ts";

const HISTORY_LIMIT = 200;
/** nanobot caps outstanding issued tokens at 10,000 (docs/websocket.md "Limits"). */
export const MAX_OUTSTANDING_TOKENS = 10_000;

/**
 * The hub's SQLite: connect tokens, the client's chats and a display transcript per chat. The transcript is
 * what the page shows on `attach`; the model's own history stays in each chat's session DO.
 */
export class HubStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS chats (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS transcript (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL, media TEXT, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS transcript_chat ON transcript (chat_id, id);
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS hub_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  }

  getMeta(key: string): string | null {
    return (this.sql.exec<{ value: string }>("SELECT value FROM hub_meta WHERE key = ?", key).toArray()[0]?.value as string) ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO hub_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** null when MAX_OUTSTANDING_TOKENS unexpired tokens exist already (nanobot's cap; the route answers 429). */
  issueToken(ttlMs: number, now = Date.now()): { token: string; expiresAt: number } | null {
    this.sql.exec("DELETE FROM tokens WHERE expires_at < ?", now);
    const outstanding = Number(this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM tokens").one().n);
    if (outstanding >= MAX_OUTSTANDING_TOKENS) return null;
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    const token = `nbwt_${btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
    this.sql.exec("INSERT INTO tokens (token, expires_at) VALUES (?, ?)", token, now + ttlMs);
    return { token, expiresAt: now + ttlMs };
  }

  /** Single use: the row is deleted whether or not it was still valid. */
  consumeToken(token: string, now = Date.now()): boolean {
    const rows = this.sql.exec<{ expires_at: number }>("DELETE FROM tokens WHERE token = ? RETURNING expires_at", token).toArray();
    return rows.length === 1 && Number(rows[0].expires_at) >= now;
  }

  chats(): ChatSummary[] {
    return this.sql
      .exec<{ id: string; title: string; updated_at: number }>("SELECT id, title, updated_at FROM chats ORDER BY updated_at DESC, id")
      .toArray()
      .map((r) => ({ chat_id: String(r.id), title: String(r.title), updated_at: Number(r.updated_at) }));
  }

  hasChat(chatId: string): boolean {
    return this.sql.exec("SELECT 1 FROM chats WHERE id = ?", chatId).toArray().length > 0;
  }

  createChat(chatId: string, title = "New chat", now = Date.now()): void {
    this.sql.exec("INSERT OR IGNORE INTO chats (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)", chatId, title, now, now);
  }

  renameChat(chatId: string, title: string): boolean {
    return this.sql.exec("UPDATE chats SET title = ? WHERE id = ?", title, chatId).rowsWritten > 0;
  }

  deleteChat(chatId: string): boolean {
    this.sql.exec("DELETE FROM transcript WHERE chat_id = ?", chatId);
    this.sql.exec("DELETE FROM hub_meta WHERE key = ?", `goal:${chatId}`);
    return this.sql.exec("DELETE FROM chats WHERE id = ?", chatId).rowsWritten > 0;
  }

  append(chatId: string, entry: Omit<TranscriptEntry, "at">, now = Date.now()): void {
    this.sql.exec(
      "INSERT INTO transcript (chat_id, role, text, media, at) VALUES (?, ?, ?, ?, ?)",
      chatId,
      entry.role,
      entry.text,
      entry.media?.length ? JSON.stringify(entry.media) : null,
      now,
    );
    this.sql.exec("UPDATE chats SET updated_at = ? WHERE id = ?", now, chatId);
  }

  /** A chat titled "New chat" is named after its first message, as chat apps do. */
  autoTitle(chatId: string, text: string): boolean {
    const title = text.replace(/\s+/g, " ").trim().slice(0, 60);
    if (!title || title.startsWith("/")) return false;
    return this.sql.exec("UPDATE chats SET title = ? WHERE id = ? AND title = 'New chat'", title, chatId).rowsWritten > 0;
  }

  history(chatId: string): TranscriptEntry[] {
    return this.sql
      .exec<{ role: string; text: string; media: string | null; at: number }>(
        "SELECT role, text, media, at FROM (SELECT * FROM transcript WHERE chat_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
        chatId,
        HISTORY_LIMIT,
      )
      .toArray()
      .map((r) => ({ role: r.role as TranscriptEntry["role"], text: String(r.text), at: Number(r.at), ...(r.media ? { media: JSON.parse(String(r.media)) } : {}) }));
  }

  /** Counts handler invocations, so a benchmark can tell whether idle sockets woke the object. */
  bump(counter: string): void {
    this.sql.exec("INSERT INTO counters (name, n) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET n = n + 1", counter);
  }

  counters(): Record<string, number> {
    return Object.fromEntries(this.sql.exec<{ name: string; n: number }>("SELECT name, n FROM counters").toArray().map((r) => [String(r.name), Number(r.n)]));
  }
}
