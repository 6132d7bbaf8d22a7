-- Memory versions (Dream), the cron job index and local triggers. Per-session state stays in the session DOs;
-- these tables answer questions across sessions (CLI listings, routing a trigger to its session).

-- One row per memory change: a Dream run or a restore. Snapshots live in R2 under
-- workspaces/<workspace_id>/.versions/<id>/{before,after}/<path>.
CREATE TABLE IF NOT EXISTS memory_versions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  kind TEXT NOT NULL,            -- 'dream' | 'restore'
  summary TEXT NOT NULL,
  files TEXT NOT NULL,           -- JSON [{path, added, removed}]
  restored_from TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS memory_versions_by_workspace ON memory_versions (workspace_id, created_at DESC);

-- Index of cron jobs; the job itself is a schedule row in the session DO that created it (the truth).
CREATE TABLE IF NOT EXISTS cron_jobs (
  id TEXT PRIMARY KEY,
  session_key TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  name TEXT NOT NULL,
  message TEXT NOT NULL,
  schedule TEXT NOT NULL,        -- JSON {kind: 'every'|'cron'|'at', everySeconds?, expr?, tz?, atMs?}
  next_run_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS cron_jobs_by_session ON cron_jobs (session_key);

-- Local triggers: an external system posts to /triggers/<id> with the bearer token shown once.
CREATE TABLE IF NOT EXISTS triggers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  session_key TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_fired_at INTEGER
);
