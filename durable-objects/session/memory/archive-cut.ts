/** nanobot keeps at least this many raw messages replayable after any consolidation. */
export const KEEP_RECENT_MESSAGES = 8;

export interface CutRow {
  id: number;
  role: string;
  tokens: number;
}

/**
 * How many of the oldest rows to archive: always a whole number of turns (the cut lands just before a user
 * message, so a tool call never loses its result), at least `need` tokens when possible, and never one of
 * the last `keep` messages. Returns 0 when no cut is possible.
 */
export function chooseArchiveCut(rows: CutRow[], need: number, keep = KEEP_RECENT_MESSAGES): number {
  const limit = rows.length - keep;
  let removed = 0;
  let best = 0;
  for (let i = 1; i <= limit; i++) {
    removed += rows[i - 1].tokens;
    // The end of the log is a turn boundary too (keep = 0: archive everything, for /new).
    if (i < rows.length && rows[i].role !== "user") continue;
    best = i;
    if (removed >= need) return i;
  }
  return best;
}
