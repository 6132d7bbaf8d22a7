import { originOf } from "./origin.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";

/**
 * `notify {text, dedupeKey}`: another part of the system (heartbeat) tells this chat something. It is stored
 * in the session's history and delivered through the chat's channel, once per dedupe key.
 */
export async function notifyControl(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  const origin = originOf(session.meta);
  if (!origin) return { delivered: false, reason: "this session has no chat to deliver to" };
  const text = String(args.text ?? "").trim();
  if (!text) return { delivered: false, reason: "empty" };
  await session.notify(
    {
      sessionKey: session.sessionKey,
      workspaceId: origin.workspaceId,
      message: { channel: origin.channel, chatId: origin.chatId, senderId: String(args.from ?? "system"), text: `[${String(args.from ?? "notification")}]` },
      dedupeKey: typeof args.dedupeKey === "string" ? args.dedupeKey : undefined,
      automation: String(args.from ?? "notification"),
    },
    text,
  );
  return { delivered: true };
}
