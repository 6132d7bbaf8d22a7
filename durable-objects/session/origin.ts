import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import type { MetaStore } from "./meta-store.ts";

/** The chat a session talks to, remembered from the messages people send (not from timers/triggers). */
export interface SessionOrigin {
  channel: string;
  chatId: string;
  senderId: string;
  workspaceId: string;
}

export function rememberOrigin(meta: MetaStore, request: TurnRequest): void {
  if (meta.get<string>("workspace_id") !== request.workspaceId) meta.set("workspace_id", request.workspaceId);
  if (request.automation) return;
  const { channel, chatId, senderId } = request.message;
  const known = meta.get<SessionOrigin>("origin");
  if (known?.channel === channel && known.chatId === chatId && known.senderId === senderId && known.workspaceId === request.workspaceId) return;
  meta.set("origin", { channel, chatId, senderId, workspaceId: request.workspaceId } satisfies SessionOrigin);
}

export function originOf(meta: MetaStore): SessionOrigin | undefined {
  return meta.get<SessionOrigin>("origin");
}
