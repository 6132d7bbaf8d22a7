import type { TurnRequest } from "../../src/session/inbound.ts";

/** Keeps D1's cross-session index current: which sessions exist and where each workspace last spoke. */
export async function recordSessionActivity(db: D1Database, request: TurnRequest, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sessions (session_key, workspace_id, channel, chat_id, created_at, last_active_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?5)
       ON CONFLICT(session_key) DO UPDATE SET last_active_at = excluded.last_active_at, workspace_id = excluded.workspace_id`,
    )
    .bind(request.sessionKey, request.workspaceId, request.message.channel, request.message.chatId, now)
    .run();
}
