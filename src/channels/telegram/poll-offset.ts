/** The persisted getUpdates offset of one bot (D1 `telegram_poll_offsets`, migrations/0005). */
export async function readPollOffset(db: D1Database, botId: string): Promise<number | undefined> {
  const row = await db.prepare("SELECT next_offset FROM telegram_poll_offsets WHERE bot_id = ?1").bind(botId).first<{ next_offset: number }>();
  return row?.next_offset ?? undefined;
}

/** Never moves backwards: a stale poll finishing late cannot re-open updates a newer one confirmed. */
export async function advancePollOffset(db: D1Database, botId: string, nextOffset: number, now = Date.now()): Promise<void> {
  await db
    .prepare(
      "INSERT INTO telegram_poll_offsets (bot_id, next_offset, updated_at) VALUES (?1, ?2, ?3) " +
        "ON CONFLICT (bot_id) DO UPDATE SET next_offset = MAX(next_offset, excluded.next_offset), updated_at = excluded.updated_at",
    )
    .bind(botId, nextOffset, now)
    .run();
}
