import type { Config } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import { appendHistory } from "../../../src/memory/history-file.ts";
import type { LlmProvider } from "../../../src/providers/types.ts";
import type { MessageStore } from "../message-store.ts";
import type { MetaStore } from "../meta-store.ts";
import { chooseArchiveCut } from "./archive-cut.ts";
import { ARCHIVE_SYSTEM_PROMPT, archiveUserPrompt } from "./archive-prompt.ts";
import { rememberSummary } from "./summaries.ts";

/** After a failed summary the session waits this long before trying again (its messages stay replayed meanwhile). */
const FAILURE_BACKOFF_MS = 5 * 60_000;
const MAX_ROUNDS = 3;
const SUMMARY_MAX_TOKENS = 2_048;

export interface ConsolidationDeps {
  env: Env;
  config: Config;
  meta: MetaStore;
  messages: MessageStore;
  sessionKey: string;
  workspaceId: string;
  provider: LlmProvider;
  model: string;
}

export interface ConsolidationResult {
  archivedMessages: number;
  rounds: number;
  failed: boolean;
}

/**
 * Summarises the oldest whole turns into history.jsonl and moves the session's consolidation cursor past
 * them. `need` is how many tokens to free (Infinity: everything but the last 8 messages). The cursor only
 * moves after the summary is stored, so a failed summary never loses messages.
 */
export async function consolidate(deps: ConsolidationDeps, need: number, reason: "budget" | "idle" | "new", keep?: number): Promise<ConsolidationResult> {
  const result: ConsolidationResult = { archivedMessages: 0, rounds: 0, failed: false };
  if ((deps.meta.get<number>("consolidation_backoff_until") ?? 0) > Date.now()) return result;
  let remaining = need;
  while (result.rounds < MAX_ROUNDS && remaining > 0) {
    const rows = deps.messages.liveRows();
    const cut = chooseArchiveCut(rows, remaining, keep);
    if (cut === 0) break;
    result.rounds++;
    const through = rows[cut - 1].id;
    const freed = rows.slice(0, cut).reduce((n, r) => n + r.tokens, 0);
    const started = Date.now();
    const summary = await summarise(deps, await deps.messages.range(deps.messages.liveFloor(), through));
    if (summary === null) {
      deps.meta.set("consolidation_backoff_until", Date.now() + FAILURE_BACKOFF_MS);
      result.failed = true;
      break;
    }
    const entry = await appendHistory(deps.env.WORKSPACE, deps.workspaceId, deps.sessionKey, summary);
    deps.messages.markConsolidated(through);
    rememberSummary(deps.meta, { ts: entry.ts, summary: entry.summary });
    result.archivedMessages += cut;
    remaining -= freed;
    console.log(
      JSON.stringify({ event: "consolidated", session: deps.sessionKey, reason, messages: cut, tokens: freed, cursor: entry.cursor, ms: Date.now() - started }),
    );
  }
  return result;
}

/** The model's summary, or null when it failed (error, cut off, tool calls, empty). */
export async function summarise(deps: ConsolidationDeps, rows: Array<{ createdAt: number; message: import("../../../src/providers/types.ts").ChatMessage }>): Promise<string | null> {
  try {
    const response = await deps.provider.chat({
      model: deps.model,
      messages: [
        { role: "system", content: ARCHIVE_SYSTEM_PROMPT },
        { role: "user", content: archiveUserPrompt(deps.sessionKey, rows) },
      ],
      maxTokens: SUMMARY_MAX_TOKENS,
      temperature: 0,
    });
    const text = response.content?.trim() ?? "";
    if (!text || response.toolCalls.length || response.finishReason === "length" || response.finishReason === "error") {
      console.log(JSON.stringify({ event: "consolidation_unusable", session: deps.sessionKey, finish: response.finishReason, chars: text.length }));
      return null;
    }
    return text;
  } catch (err) {
    console.log(JSON.stringify({ event: "consolidation_failed", session: deps.sessionKey, error: String((err as Error)?.message ?? err).slice(0, 300) }));
    return null;
  }
}

/** Before a turn: if the live history no longer fits `budget`, archive down to half of it (nanobot's ratio 0.5). */
export async function consolidateForBudget(deps: ConsolidationDeps, budget: number): Promise<boolean> {
  // Summed in SQL: materialising every live row only to add up tokens cost ~0.7 ms per turn (profiled).
  const live = deps.messages.liveTokens();
  if (live <= budget) return false;
  const result = await consolidate(deps, live - Math.floor(budget / 2), "budget");
  return result.archivedMessages > 0;
}
