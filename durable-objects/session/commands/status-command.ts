import { STATUS_SECTIONS } from "./status-sections.ts";
import { mcpStatus } from "../../../src/mcp/mcp-pool.ts";
import { trackedCount } from "../../../src/subagents/running.ts";
import type { SlashCommand } from "./types.ts";

export interface LastTurnStats {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  requestBytes: number;
  tools: number;
  ms: number;
}

const fmt = (n: number) => n.toLocaleString("en-US");

export const statusCommand: SlashCommand = {
  name: "/status",
  usage: "/status",
  summary: "model, session size and token usage",
  async run(_args, session) {
    const { model, provider, preset } = session.describeModel();
    const stats = session.stats();
    const last = session.getMeta<LastTurnStats>("last_turn");
    const totalIn = session.getMeta<number>("total_prompt_tokens") ?? 0;
    const totalOut = session.getMeta<number>("total_completion_tokens") ?? 0;
    const window = session.config.agents.defaults.contextWindowTokens;
    const lines = [
      `🐈 ${session.config.agents.defaults.botName} (nanobot-edge)`,
      `🧠 Model: ${model} via ${provider}${preset ? ` (preset ${preset})` : ""}`,
      `💬 Session: ${fmt(stats.messages)} messages in context (${fmt(stats.total)} stored), ~${fmt(stats.tokens)} tokens of ${fmt(window)}`,
      last
        ? `📊 Last turn: ${fmt(last.promptTokens)} in / ${fmt(last.completionTokens)} out tokens${last.cachedTokens ? ` (${fmt(last.cachedTokens)} cached)` : ""}, prompt ${fmt(last.requestBytes)} bytes, ${last.tools} tool call(s), ${fmt(last.ms)} ms`
        : "📊 Last turn: none yet",
      `📈 Session total: ${fmt(totalIn)} in / ${fmt(totalOut)} out tokens`,
      `⚡ Tasks: ${session.busy() ? 1 : 0} active${trackedCount(session.sessionKey) ? `, ${trackedCount(session.sessionKey)} subagent(s)` : ""}`,
      ...mcpStatus(session.config).map(
        (s) => `🔌 MCP ${s.server}: ${s.state === "connected" ? `connected, ${s.tools} tool(s)` : `unavailable (${s.error ?? "unknown error"})`}`,
      ),
    ];
    const extra = await Promise.all(STATUS_SECTIONS.map((section) => section(session).catch((err) => `(status section failed: ${String(err)})`)));
    return [...lines, ...extra.filter((line): line is string => !!line)].join("\n");
  },
};
