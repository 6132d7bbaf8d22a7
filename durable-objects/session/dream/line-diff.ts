/**
 * Line changes between two texts, counted as multisets: cheap (linear) and exact about which lines came
 * and went, if not about moves. Enough for version stats and a short diff in /dream-log.
 */
export interface LineDiff {
  added: string[];
  removed: string[];
}

export function lineDiff(before: string, after: string): LineDiff {
  const count = new Map<string, number>();
  const beforeLines = before ? before.split("\n") : [];
  const afterLines = after ? after.split("\n") : [];
  for (const line of beforeLines) count.set(line, (count.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of afterLines) {
    const n = count.get(line) ?? 0;
    if (n > 0) count.set(line, n - 1);
    else added.push(line);
  }
  const removed: string[] = [];
  for (const line of beforeLines) {
    const n = count.get(line) ?? 0;
    if (n > 0) {
      removed.push(line);
      count.set(line, n - 1);
    }
  }
  return { added, removed };
}

/** `- old` / `+ new` lines, at most `max` of them. */
export function shortDiff(before: string, after: string, max = 12): string[] {
  const { added, removed } = lineDiff(before, after);
  const lines = [...removed.filter((l) => l.trim()).map((l) => `- ${l}`), ...added.filter((l) => l.trim()).map((l) => `+ ${l}`)];
  return lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more changed lines`] : lines;
}
