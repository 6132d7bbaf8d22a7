/**
 * The session's SQLite schema as ordered, additive migrations. `schema_version` records how far this object
 * has come (PRAGMA user_version is not authorised in Durable Object SQLite), so a deploy that adds a
 * migration upgrades every session on its next wake.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     turn_id INTEGER,
     role TEXT NOT NULL,
     body TEXT NOT NULL,
     tokens INTEGER NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX messages_by_turn ON messages (turn_id);
   CREATE TABLE inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     dedupe_key TEXT UNIQUE,
     kind TEXT NOT NULL,
     payload TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     attempts INTEGER NOT NULL DEFAULT 0,
     lease_until INTEGER,
     reply TEXT,
     created_at INTEGER NOT NULL,
     finished_at INTEGER
   );
   CREATE INDEX inbox_by_status ON inbox (status, id);
   CREATE TABLE schedule (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at INTEGER NOT NULL,
     payload TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX schedule_by_due ON schedule (due_at);`,
  // Replies to chat platforms are sent after the turn; this marks which were, so a retry never sends twice.
  `ALTER TABLE inbox ADD COLUMN delivered_at INTEGER;`,
  // Every turn looks for undelivered replies (2-3 times) and prunes old rows; through (status, id) both walked
  // every finished row: ~1 ms and ~0.8 ms per call with 5,000 rows (a week of a busy chat), ~5 µs with these.
  `CREATE INDEX inbox_undelivered ON inbox (status, delivered_at, id);
   CREATE INDEX inbox_by_finished ON inbox (status, finished_at);`,
  // Delivery progress of a reply (parts sent, the streamed preview's message id) as JSON, written after each
  // part: a reset object resumes at the next part instead of sending the reply again (delivery-ledger.ts).
  `ALTER TABLE inbox ADD COLUMN delivery TEXT;`,
];

export function migrateSessionSchema(sql: SqlStorage): void {
  sql.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  const row = sql.exec("SELECT version FROM schema_version").toArray()[0];
  const version = (row?.version as number | undefined) ?? 0;
  if (version >= MIGRATIONS.length) return;
  for (let v = version; v < MIGRATIONS.length; v++) sql.exec(MIGRATIONS[v]);
  sql.exec("DELETE FROM schema_version");
  sql.exec("INSERT INTO schema_version (version) VALUES (?)", MIGRATIONS.length);
}
