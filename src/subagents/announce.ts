import type { ChannelOutbound } from "../channels/outbound.ts";

/**
 * A finished subagent's reply goes back to its parent as a system-ish message from sender `subagent`; the
 * parent folds it into a running turn or answers it as a turn of its own (nanobot's announcement). It is the
 * outbound of channel `subagent` (src/wiring/channels.ts), so the session's delivery retries failed sends, and
 * the dedupe key makes a retried send land once.
 */
export const subagentAnnounce: ChannelOutbound = {
  async deliver({ env, request, reply }) {
    const task = request.subagent;
    if (!task?.announce || reply.stopReason === "aborted") return;
    const ok = reply.stopReason !== "error";
    const text = [
      `[Subagent '${task.label}' ${ok ? "completed successfully" : "failed"}]`,
      `Task: ${task.task}`,
      `Result:\n${reply.content}`,
      "Summarize this naturally for the user. Keep it brief; do not mention technical details like 'subagent' or task ids.",
    ].join("\n\n");
    await env.SESSIONS.getByName(task.parent.sessionKey).submit({
      sessionKey: task.parent.sessionKey,
      workspaceId: task.parent.workspaceId,
      message: { channel: task.parent.channel, chatId: task.parent.chatId, senderId: "subagent", senderName: task.label, text },
      dedupeKey: `subagent-result:${task.id}`,
    });
  },
};
