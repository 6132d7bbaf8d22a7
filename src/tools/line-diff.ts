/** Lines of a text as diff tools count them (a final newline does not start another line). */
export function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

// The LCS table is rows × columns numbers; past this, changed lines are counted without pairing them up.
const MAX_LCS_CELLS = 4_000_000;

/** Added and deleted line counts between two texts (a changed line counts once each way). */
export function lineDiffStats(before: string, after: string): { added: number; deleted: number } {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (!midA.length || !midB.length || midA.length * midB.length > MAX_LCS_CELLS) {
    return { added: midB.length, deleted: midA.length };
  }
  let prev = new Uint32Array(midB.length + 1);
  for (const line of midA) {
    const row = new Uint32Array(midB.length + 1);
    for (let j = 1; j <= midB.length; j++) row[j] = line === midB[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    prev = row;
  }
  const common = prev[midB.length];
  return { added: midB.length - common, deleted: midA.length - common };
}
