-- Access control across sessions: pairing requests from unknown senders, approvals, and dedupe of the
-- replies the Worker sends itself (pairing codes, rate-limit notices), which no session inbox covers.

-- A pending request: the code an unknown DM sender got. Expired rows are deleted lazily.
CREATE TABLE IF NOT EXISTS pairing_requests (
  code TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT,
  chat_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pairing_requests_by_sender ON pairing_requests (channel, sender_id);

-- Senders approved per channel (in addition to the config's allowFrom).
CREATE TABLE IF NOT EXISTS pairing_approvals (
  channel TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT,
  approved_at INTEGER NOT NULL,
  approved_by TEXT,
  PRIMARY KEY (channel, sender_id)
);

-- Platform events the Worker answered itself; a redelivery finds its key and stays silent.
CREATE TABLE IF NOT EXISTS channel_events (
  event_key TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL
);
