import { describe, expect, it } from "vitest";
import { formatToolHint } from "../../../src/channels/progress/tool-hint.ts";

describe("formatToolHint", () => {
  it("should name what a known tool does with its main argument", () => {
    expect(formatToolHint("read_file", { path: "notes/todo.md" }, 40)).toBe("read notes/todo.md");
    expect(formatToolHint("exec", { command: "npm test", timeout: 30 }, 40)).toBe("$ npm test");
    expect(formatToolHint("web_search", { query: "weather Paris" }, 40)).toBe('search "weather Paris"');
  });

  it("should cap a hint at the configured length", () => {
    const hint = formatToolHint("exec", { command: `echo ${"x".repeat(100)}` }, 40);
    expect(hint).toHaveLength(40);
    expect(hint.endsWith("…")).toBe(true);
  });

  it("should show MCP tools by server and tool, and unknown tools by name and first text argument", () => {
    expect(formatToolHint("mcp_github_search_issues", { q: "bug" }, 40)).toBe("github: search_issues bug");
    expect(formatToolHint("custom_tool", { count: 2 }, 40)).toBe("custom_tool");
    expect(formatToolHint("read_file", "not an object", 40)).toBe("read_file");
  });
});
