import { estimateTextTokens } from "../../../src/agent/token-estimate.ts";
import type { MetaStore } from "../meta-store.ts";

/** Summaries of this session's archived turns, newest last, as injected into its system prompt. */
export interface SessionSummary {
  ts: string;
  summary: string;
}

/** nanobot caps injected history at 8,000 tokens; half that keeps room for the live conversation. */
const MAX_SUMMARY_TOKENS = 4_000;

export function recentSummaries(meta: MetaStore): SessionSummary[] {
  return meta.get<SessionSummary[]>("recent_summaries") ?? [];
}

export function rememberSummary(meta: MetaStore, entry: SessionSummary): void {
  const all = [...recentSummaries(meta), entry];
  let tokens = all.reduce((n, s) => n + estimateTextTokens(s.summary), 0);
  while (all.length > 1 && tokens > MAX_SUMMARY_TOKENS) tokens -= estimateTextTokens(all.shift()!.summary);
  meta.set("recent_summaries", all);
}

/** The `# Archived Context Summary` prompt section, or "" when nothing was archived yet. */
export function summarySection(meta: MetaStore): string {
  const all = recentSummaries(meta);
  if (!all.length) return "";
  const lines = all.map((s) => `[${s.ts}]\n${s.summary.trim()}`);
  return `# Archived Context Summary\n\nEarlier parts of this conversation were archived; what they said:\n\n${lines.join("\n\n")}`;
}
