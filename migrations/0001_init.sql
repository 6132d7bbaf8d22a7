-- Cross-session indexes. Per-session data lives in each session Durable Object's own SQLite.

-- Every session the gateway has seen, and the chat it last heard from (proactive delivery, heartbeat).
CREATE TABLE IF NOT EXISTS sessions (
  session_key TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_active_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_workspace ON sessions (workspace_id, last_active_at DESC);
