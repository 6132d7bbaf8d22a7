import { runTurn } from "../../../src/agent/runner.ts";
import { createTurnSafety } from "../../../src/agent/safety/turn-safety.ts";
import type { Config } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import { compactHistory, readHistory } from "../../../src/memory/history-file.ts";
import { createProvider } from "../../../src/providers/create-provider.ts";
import { editFileTool } from "../../../src/tools/edit-file.ts";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { ToolRegistry } from "../../../src/tools/registry.ts";
import { writeFileTool } from "../../../src/tools/write-file.ts";
import { openWorkspace } from "../../../src/workspace/open-workspace.ts";
import type { MetaStore } from "../meta-store.ts";
import { DREAM_SYSTEM_PROMPT, MAX_ENTRIES, dreamUserPrompt } from "./dream-prompt.ts";
import { memoryOnlyWorkspace, snapshotMemory } from "./memory-files.ts";
import { type MemoryVersion, recordVersion } from "./versions.ts";

export interface DreamResult {
  status: "nothing" | "completed" | "incomplete" | "busy";
  ms: number;
  processed: number;
  version: MemoryVersion | null;
  stopReason?: string;
}

/** A Dream that has not finished within this long is presumed dead (its Durable Object was evicted). */
const DREAM_LEASE_MS = 10 * 60_000;

/**
 * One Dream over a workspace: the history entries after its cursor, a restricted agent run over the three
 * memory files, a version when something changed. The cursor moves only when the run completed, so an
 * interrupted Dream sees the same entries next time. `meta` belongs to the workspace's `dream:` session.
 */
export async function runDream(env: Env, config: Config, workspaceId: string, meta: MetaStore): Promise<DreamResult> {
  const started = Date.now();
  if ((meta.get<number>("dream_running_until") ?? 0) > started) return { status: "busy", ms: 0, processed: 0, version: null };
  const cursor = meta.get<number>("dream_cursor") ?? 0;
  const fresh = (await readHistory(env.WORKSPACE, workspaceId)).filter((e) => e.cursor > cursor);
  if (!fresh.length) return { status: "nothing", ms: Date.now() - started, processed: 0, version: null };
  meta.set("dream_running_until", started + DREAM_LEASE_MS);
  try {
    const batch = fresh.slice(0, MAX_ENTRIES);
    const workspace = await openWorkspace(env.WORKSPACE, workspaceId);
    const before = await snapshotMemory(workspace);
    const dream = config.agents.defaults.dream;
    const { provider, choice } = createProvider({ config, env, presetName: dream.modelOverride ?? undefined });
    const result = await runTurn({
      provider,
      model: choice.model,
      maxTokens: choice.maxTokens,
      temperature: choice.temperature,
      messages: [
        { role: "system", content: DREAM_SYSTEM_PROMPT },
        { role: "user", content: dreamUserPrompt(workspaceId, before, batch) },
      ],
      tools: new ToolRegistry([readFileTool, editFileTool, writeFileTool]),
      toolContext: { env, config, workspace: memoryOnlyWorkspace(workspace), sessionKey: `dream:${workspaceId}`, origin: { channel: "system", chatId: "dream" } },
      maxIterations: dream.maxIterations,
      maxToolResultChars: config.agents.defaults.maxToolResultChars,
      signal: new AbortController().signal,
      safety: createTurnSafety(),
    });
    const ms = () => Date.now() - started;
    if (result.stopReason !== "completed") {
      console.log(JSON.stringify({ event: "dream_incomplete", workspace: workspaceId, stop: result.stopReason, ms: ms() }));
      return { status: "incomplete", ms: ms(), processed: 0, version: null, stopReason: result.stopReason };
    }
    const processedThrough = batch[batch.length - 1].cursor;
    const after = await snapshotMemory(workspace);
    const summary = result.content.split("\n").find((l) => l.trim())?.trim() || `Dream over ${batch.length} history entries`;
    const version = await recordVersion(env, { workspaceId, kind: "dream", summary, before, after });
    meta.set("dream_cursor", processedThrough);
    meta.set("dream_last_run", Date.now());
    await compactHistory(env.WORKSPACE, workspaceId, processedThrough);
    console.log(
      JSON.stringify({ event: "dream", workspace: workspaceId, entries: batch.length, changed: version?.files.length ?? 0, version: version?.id, ms: ms() }),
    );
    return { status: "completed", ms: ms(), processed: batch.length, version, stopReason: result.stopReason };
  } finally {
    meta.set("dream_running_until", null);
  }
}
