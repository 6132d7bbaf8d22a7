import type { ChatMessage } from "../../src/providers/types.ts";

export interface HistoryRow {
  id: number;
  message: ChatMessage;
  tokens: number;
}

export const INTERRUPTED_TOOL_RESULT = "[Tool result unavailable — call was interrupted or lost]";

/**
 * Picks the newest rows that fit the token budget, starting at a user turn, and repairs tool pairs so the
 * provider never sees a tool result without its call (or a call without a result).
 * Rows arrive newest first.
 */
export function selectHistoryWindow(newestFirst: HistoryRow[], budgetTokens: number): ChatMessage[] {
  const picked: HistoryRow[] = [];
  let used = 0;
  for (const row of newestFirst) {
    if (used + row.tokens > budgetTokens && picked.length) break;
    if (used + row.tokens > budgetTokens) break;
    picked.push(row);
    used += row.tokens;
  }
  picked.reverse();
  const firstUser = picked.findIndex((r) => r.message.role === "user");
  if (firstUser < 0) return [];
  return repairToolPairs(picked.slice(firstUser).map((r) => r.message));
}

export function repairToolPairs(messages: ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const openCalls = new Map<string, string>();
  const flushOpen = () => {
    for (const [id, name] of openCalls) out.push({ role: "tool", toolCallId: id, name, content: INTERRUPTED_TOOL_RESULT });
    openCalls.clear();
  };
  for (const message of messages) {
    if (message.role === "tool") {
      if (!openCalls.has(message.toolCallId)) continue; // orphan result
      openCalls.delete(message.toolCallId);
      out.push(message);
      continue;
    }
    flushOpen();
    out.push(message);
    if (message.role === "assistant") for (const call of message.toolCalls ?? []) openCalls.set(call.id, call.name);
  }
  flushOpen();
  return out;
}
