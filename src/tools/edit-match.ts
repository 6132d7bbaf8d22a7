/**
 * How edit_file finds `old_text`: exactly first, then line by line ignoring trailing whitespace, then ignoring
 * indentation and curly quotes (re-indenting the replacement). Models often get whitespace slightly wrong;
 * tolerating that saves a read-and-retry round trip.
 */
export type MatchStrategy = "exact" | "trailing-whitespace" | "indentation";

export interface TextMatch {
  start: number;
  end: number;
  /** 1-based line where the match starts. */
  line: number;
  replacement: string;
}

export interface MatchResult {
  strategy: MatchStrategy;
  matches: TextMatch[];
}

const lineAt = (text: string, index: number) => {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
};

function exactMatches(content: string, oldText: string, newText: string): TextMatch[] {
  const out: TextMatch[] = [];
  for (let at = content.indexOf(oldText); at !== -1; at = content.indexOf(oldText, at + oldText.length)) {
    let end = at + oldText.length;
    // Deleting whole lines should not leave an empty line behind.
    const atLineStart = at === 0 || content[at - 1] === "\n";
    if (newText === "" && !oldText.endsWith("\n") && atLineStart && content[end] === "\n") end++;
    out.push({ start: at, end, line: lineAt(content, at), replacement: newText });
  }
  return out;
}

const normaliseQuotes = (s: string) => s.replace(/[\u2018\u2019\u201a\u201b]/g, "'").replace(/[\u201c\u201d\u201e\u201f]/g, '"');
const leadingSpace = (s: string) => /^[ \t]*/.exec(s)?.[0] ?? "";

function splitBlock(text: string): { lines: string[]; endsWithNewline: boolean } {
  const lines = text.split("\n");
  const endsWithNewline = lines.length > 1 && lines[lines.length - 1] === "";
  if (endsWithNewline) lines.pop();
  return { lines, endsWithNewline };
}

function lineMatches(content: string, oldText: string, newText: string, strategy: MatchStrategy): TextMatch[] {
  const key = strategy === "indentation" ? (s: string) => normaliseQuotes(s.trim()) : (s: string) => s.trimEnd();
  const old = splitBlock(oldText);
  if (old.lines.every((l) => l.trim() === "")) return [];
  const fileLines = content.split("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const l of fileLines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  const oldKeys = old.lines.map(key);
  const fileKeys = fileLines.map(key);
  const n = oldKeys.length;
  let replacementBase = newText;
  if (old.endsWithNewline && replacementBase.endsWith("\n")) replacementBase = replacementBase.slice(0, -1);
  const out: TextMatch[] = [];
  for (let i = 0; i + n <= fileLines.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) ok = fileKeys[i + j] === oldKeys[j];
    if (!ok) continue;
    let replacement = replacementBase;
    if (strategy === "indentation") {
      const firstOld = old.lines.findIndex((l) => l.trim() !== "");
      replacement = reindent(replacementBase, leadingSpace(old.lines[firstOld]), leadingSpace(fileLines[i + firstOld]));
    }
    const last = i + n - 1;
    out.push({ start: starts[i], end: starts[last] + fileLines[last].length, line: i + 1, replacement });
    i += n - 1;
  }
  return out;
}

function reindent(text: string, from: string, to: string): string {
  if (from === to) return text;
  return text
    .split("\n")
    .map((l) => (l.trim() === "" ? l : l.startsWith(from) ? to + l.slice(from.length) : l))
    .join("\n");
}

/** Finds `oldText` in LF-normalised `content` with the first strategy that matches anything, or null. */
export function findMatches(content: string, oldText: string, newText: string): MatchResult | null {
  const exact = exactMatches(content, oldText, newText);
  if (exact.length) return { strategy: "exact", matches: exact };
  for (const strategy of ["trailing-whitespace", "indentation"] as const) {
    const matches = lineMatches(content, oldText, newText, strategy);
    if (matches.length) return { strategy, matches };
  }
  return null;
}

/** Applies matches (sorted, non-overlapping) to content. */
export function applyMatches(content: string, matches: TextMatch[]): string {
  let out = "";
  let cursor = 0;
  for (const m of matches) {
    out += content.slice(cursor, m.start) + m.replacement;
    cursor = m.end;
  }
  return out + content.slice(cursor);
}

function bigrams(s: string): Map<string, number> {
  const t = s.trim().toLowerCase();
  const grams = new Map<string, number>();
  for (let i = 0; i < t.length - 1; i++) grams.set(t.slice(i, i + 2), (grams.get(t.slice(i, i + 2)) ?? 0) + 1);
  return grams;
}

function dice(a: Map<string, number>, b: Map<string, number>, ta: string, tb: string): number {
  if (ta.trim() === tb.trim()) return 1;
  let total = 0;
  let shared = 0;
  for (const v of a.values()) total += v;
  for (const v of b.values()) total += v;
  for (const [g, v] of a) shared += Math.min(v, b.get(g) ?? 0);
  return total === 0 ? 0 : (2 * shared) / total;
}

// Bounds the CPU spent on a "did you mean" hint (Workers bill CPU time; a hint is not worth a big scan).
const MAX_LINE_COMPARISONS = 100_000;
const MAX_CANDIDATES = 200;

/** The window of the file most similar to `oldText`, for the "not found" error. */
export function closestLines(content: string, oldText: string): { line: number; lines: string[]; ratio: number } | null {
  const fileLines = content.split("\n");
  const old = splitBlock(oldText).lines;
  const n = Math.min(old.length, fileLines.length);
  if (n === 0 || old.every((l) => l.trim() === "")) return null;
  const oldGrams = old.map(bigrams);
  const fileGrams = fileLines.map(bigrams);
  const score = (i: number, j: number) => dice(fileGrams[i + j], oldGrams[j], fileLines[i + j], old[j]);
  let candidates = Array.from({ length: fileLines.length - n + 1 }, (_, i) => i);
  if (candidates.length * n > MAX_LINE_COMPARISONS) {
    const anchor = old.findIndex((l) => l.trim() !== "");
    candidates = candidates
      .map((i) => ({ i, s: score(i, anchor) }))
      .filter((c) => c.s >= 0.5)
      .sort((a, b) => b.s - a.s)
      .slice(0, MAX_CANDIDATES)
      .map((c) => c.i);
  }
  let best: { line: number; ratio: number } | null = null;
  for (const i of candidates) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += score(i, j);
    const ratio = sum / old.length;
    if (!best || ratio > best.ratio) best = { line: i + 1, ratio };
  }
  return best ? { ...best, lines: fileLines.slice(best.line - 1, best.line - 1 + n) } : null;
}
