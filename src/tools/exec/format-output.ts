import type { SyncedExecResult } from "../../sandbox/workspace-sync.ts";

/** nanobot's cap for exec results: longer output keeps its head and tail halves. */
export const MAX_EXEC_OUTPUT_CHARS = 10_000;

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n\n... (${text.length - 2 * half} chars truncated) ...\n\n${text.slice(text.length - half)}`;
}

function syncNotes(result: SyncedExecResult): string[] {
  const notes: string[] = [];
  const list = (items: Array<{ path: string; size: number }>) => items.slice(0, 10).map((f) => `${f.path} (${f.size} bytes)`).join(", ");
  if (result.sync.notStored.length > 0) {
    notes.push(`Note: kept in the sandbox only, not saved to the workspace (too large to sync): ${list(result.sync.notStored)}`);
  }
  if (result.sync.notCopied.length > 0) {
    notes.push(`Note: not available in the sandbox (too large to copy from the workspace): ${list(result.sync.notCopied)}`);
  }
  return notes;
}

/** stdout, then a `STDERR:` block, then `Exit code: N` — the shape nanobot users and their prompts expect. */
export function formatExecResult(result: SyncedExecResult, timeoutS: number, maxChars = MAX_EXEC_OUTPUT_CHARS): string {
  const parts: string[] = [];
  if (result.stdout) parts.push(result.stdout);
  if (result.stderr.trim()) parts.push(`STDERR:\n${result.stderr}`);
  if (result.timedOut) {
    const partial = parts.length ? `\n\nOutput before it was stopped:\n${capped(parts.join("\n"), maxChars)}` : "";
    return `Error: Command timed out after ${timeoutS} seconds${partial}`;
  }
  parts.push(...syncNotes(result));
  const code = result.exitCode ?? (result.signal ? -(SIGNALS[result.signal] ?? 1) : -1);
  parts.push(`\nExit code: ${code}`);
  return capped(parts.join("\n"), maxChars);
}
