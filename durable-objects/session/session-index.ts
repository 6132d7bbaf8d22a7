import type { TurnRequest } from "../../src/session-protocol/inbound.ts";

/**
 * Keeps D1's cross-session index current: which sessions exist and where each workspace last spoke. A
 * session's channel and chat follow its latest message: for the unified session (`unified:default`, fed by
 * several channels) that is nanobot's "last channel", where proactive messages go.
 */
export async function recordSessionActivity(db: D1Database, request: TurnRequest, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sessions (session_key, workspace_id, channel, chat_id, created_at, last_active_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?5)
       ON CONFLICT(session_key) DO UPDATE SET last_active_at = excluded.last_active_at, workspace_id = excluded.workspace_id,
         channel = excluded.channel, chat_id = excluded.chat_id`,
    )
    .bind(request.sessionKey, request.workspaceId, request.message.channel, request.message.chatId, now)
    .run();
}
