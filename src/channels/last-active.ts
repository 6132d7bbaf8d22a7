/** Queries over D1's session index (migrations/0001_init.sql), kept current by each session after every turn. */

export interface KnownChat {
  channel: string;
  chatId: string;
  sessionKey: string;
  lastActiveAt: number;
}

const toChat = (r: Record<string, unknown>): KnownChat => ({
  channel: r.channel as string,
  chatId: r.chat_id as string,
  sessionKey: r.session_key as string,
  lastActiveAt: r.last_active_at as number,
});

/** The chat a workspace last spoke in (optionally on one channel): where proactive messages go by default. */
export async function lastActiveChat(db: D1Database, workspaceId: string, channel?: string): Promise<KnownChat | null> {
  const row = channel
    ? await db.prepare("SELECT * FROM sessions WHERE workspace_id = ?1 AND channel = ?2 ORDER BY last_active_at DESC LIMIT 1").bind(workspaceId, channel).first()
    : await db.prepare("SELECT * FROM sessions WHERE workspace_id = ?1 AND channel != 'api' ORDER BY last_active_at DESC LIMIT 1").bind(workspaceId).first();
  return row ? toChat(row) : null;
}

/** A chat this workspace has talked in before; the agent may not message strangers. */
export async function knownChat(db: D1Database, workspaceId: string, channel: string, chatId: string): Promise<KnownChat | null> {
  const row = await db
    .prepare("SELECT * FROM sessions WHERE workspace_id = ?1 AND channel = ?2 AND chat_id = ?3 ORDER BY last_active_at DESC LIMIT 1")
    .bind(workspaceId, channel, chatId)
    .first();
  return row ? toChat(row) : null;
}
