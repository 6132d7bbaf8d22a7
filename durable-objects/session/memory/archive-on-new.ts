import { appendHistory } from "../../../src/memory/history-file.ts";
import { createProvider } from "../../../src/providers/create-provider.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { archiveUserPrompt } from "./archive-prompt.ts";
import { consolidate } from "./consolidator.ts";

/**
 * `/new`, as nanobot does it: the part of the conversation not yet summarised goes to history.jsonl (where
 * Dream reads it) before the session starts over. Every live message is archived (none kept replayable). If
 * the model cannot summarise, the messages go in raw (nanobot's `[RAW] N messages` entry), so what the user
 * said before /new still reaches memory.
 */
export async function archiveThenStartFresh(session: SessionRuntime): Promise<void> {
  const workspaceId = session.workspaceId;
  if (workspaceId && session.messages.liveRows().length) {
    const { provider, choice } = createProvider({ config: session.config, env: session.env, presetName: session.meta.get<string>("model_preset") || undefined });
    const deps = { env: session.env, config: session.config, meta: session.meta, messages: session.messages, sessionKey: session.sessionKey, workspaceId, provider, model: choice.model };
    await consolidate(deps, Number.POSITIVE_INFINITY, "new", 0);
    const left = session.messages.liveRows();
    if (left.length) {
      const rows = await session.messages.range(session.messages.liveFloor(), left[left.length - 1].id);
      const dump = archiveUserPrompt(session.sessionKey, rows).split("\n").slice(2).join("\n");
      await appendHistory(session.env.WORKSPACE, workspaceId, session.sessionKey, `[RAW] ${rows.length} messages\n${dump}`);
      session.messages.markConsolidated(left[left.length - 1].id);
      console.log(JSON.stringify({ event: "consolidated", session: session.sessionKey, reason: "new", raw: true, messages: rows.length }));
    }
  }
  // The new conversation starts without the old one's summaries in its prompt; they live on in history.jsonl.
  session.meta.set("recent_summaries", null);
  session.messages.startFresh();
}
