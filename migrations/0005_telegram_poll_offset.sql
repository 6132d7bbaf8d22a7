-- Local long polling (`npm start`, channels.telegram.mode "auto"/"polling"): the next getUpdates offset per bot.
-- Written only after an update is stored in its session inbox, so a crash re-fetches (and the inbox dedupes)
-- rather than skips; Telegram drops updates below the offset on the next call.
CREATE TABLE IF NOT EXISTS telegram_poll_offsets (
  bot_id TEXT PRIMARY KEY,
  next_offset INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
