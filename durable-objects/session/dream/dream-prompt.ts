import type { HistoryEntry } from "../../../src/memory/history-file.ts";
import type { MemorySnapshot } from "./memory-files.ts";

/** nanobot's caps: each memory file ≤ 8,000 chars in the prompt, ≤ 20 entries of ≤ 1,000 chars per Dream. */
export const MAX_FILE_CHARS = 8_000;
export const MAX_ENTRIES = 20;
const MAX_ENTRY_CHARS = 1_000;

export const DREAM_SYSTEM_PROMPT = `You are Dream, the memory keeper of a personal AI assistant. New conversation summaries arrived since your last run. Fold what matters into the memory files, then stop.

Files (the only ones you can read or change):
- USER.md: who the user is — name, family, pets, location, time zone, language, preferences.
- SOUL.md: how the assistant should behave with this user (tone, rules the user asked for).
- memory/MEMORY.md: durable context — projects, decisions, plans, open tasks, important dates.

Rules: use edit_file for targeted changes (write_file only to restructure a file). Keep files short and deduplicated; merge
new facts into existing lines, apply corrections, drop facts that are clearly obsolete, never invent anything. Ephemeral
chit-chat does not belong in memory. When you are done, answer with one short line saying what changed (or "no changes").`;

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}… [truncated]` : text);

/** The user message of a Dream run; it names the workspace first so logs and tests can find it. */
export function dreamUserPrompt(workspaceId: string, files: MemorySnapshot, entries: HistoryEntry[]): string {
  const fileParts = Object.entries(files).map(([path, text]) => `### ${path}\n\n${clip(text.trim(), MAX_FILE_CHARS) || "(empty)"}`);
  const history = entries.map((e) => `- [${e.ts}] (${e.session}) ${clip(e.summary.trim(), MAX_ENTRY_CHARS)}`);
  return [`Dream for workspace ${workspaceId}`, "", "## Current Memory Files", "", ...fileParts, "", "## Conversation History", "", ...history].join("\n");
}
