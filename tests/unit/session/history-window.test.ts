import { describe, expect, it } from "vitest";
import { INTERRUPTED_TOOL_RESULT, type HistoryRow, selectHistoryWindow } from "../../../durable-objects/session/history-window.ts";
import type { ChatMessage } from "../../../src/providers/types.ts";

const rows = (messages: ChatMessage[], tokens = 10): HistoryRow[] =>
  messages.map((message, i) => ({ id: i + 1, message, tokens })).reverse();

describe("history window", () => {
  it("should keep the newest messages within the budget and start at a user turn", () => {
    const history: ChatMessage[] = [
      { role: "user", content: "u1" },
      { role: "assistant", content: "a1" },
      { role: "user", content: "u2" },
      { role: "assistant", content: "a2" },
    ];
    // 30 tokens fit three rows, but the oldest of those is an assistant message, so the window starts at u2.
    expect(selectHistoryWindow(rows(history), 30)).toEqual(history.slice(2));
    expect(selectHistoryWindow(rows(history), 1000)).toEqual(history);
  });

  it("should never start with an orphaned tool result", () => {
    const history: ChatMessage[] = [
      { role: "user", content: "u1" },
      { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "read_file", arguments: "{}" }] },
      { role: "tool", toolCallId: "c1", name: "read_file", content: "data" },
      { role: "user", content: "u2" },
      { role: "assistant", content: "a2" },
    ];
    const window = selectHistoryWindow(rows(history), 30);
    expect(window[0]).toEqual({ role: "user", content: "u2" });
    expect(window.some((m) => m.role === "tool")).toBe(false);
  });

  it("should backfill a result for a tool call that was interrupted", () => {
    const history: ChatMessage[] = [
      { role: "user", content: "u1" },
      { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "exec", arguments: "{}" }] },
    ];
    const window = selectHistoryWindow(rows(history), 1000);
    expect(window[2]).toEqual({ role: "tool", toolCallId: "c1", name: "exec", content: INTERRUPTED_TOOL_RESULT });
  });
});
