/**
 * Splits a Markdown reply into parts no longer than `limit`, preferring paragraph, then line, then word
 * boundaries. A cut never lands inside a fenced code block without closing it (and reopening it, same
 * language, in the next part) and never inside an inline span (`code`, **bold**, [link](url)), so each
 * part still renders on its own.
 */
export function splitMessage(text: string, limit: number): string[] {
  if (limit < 16) throw new Error("splitMessage: limit must be at least 16 characters");
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const { head, tail } = cutOnce(rest, limit);
    if (head.trim()) parts.push(head.trimEnd());
    rest = tail.replace(/^\n+/, "");
  }
  if (rest.trim() || !parts.length) parts.push(rest);
  return parts;
}

const FENCE = /^(\s*)(```|~~~)([^\n`]*)$/;

/** The opening fence line of a code block left open at the end of `text`, and where it starts. */
function openFence(text: string): { line: string; index: number } | null {
  let open: { line: string; index: number } | null = null;
  let index = 0;
  for (const line of text.split("\n")) {
    const m = FENCE.exec(line);
    if (m) open = open ? null : { line: `${m[2]}${m[3].trim()}`, index };
    index += line.length + 1;
  }
  return open;
}

/** Best cut position ≤ limit: last blank line, else newline, else space, else the hard limit. */
function boundary(text: string, limit: number, minFraction = 0.3): number {
  const window = text.slice(0, limit + 1);
  const min = Math.floor(limit * minFraction);
  for (const sep of ["\n\n", "\n", " "]) {
    const at = window.lastIndexOf(sep, limit - (sep === " " ? 0 : sep.length - 1));
    if (at >= min) return at + (sep === " " ? 1 : 0);
  }
  return limit;
}

/** Start of an inline span opened on the last line of `head` but not closed there, or -1. */
function unclosedInline(head: string): number {
  const lineStart = head.lastIndexOf("\n") + 1;
  const line = head.slice(lineStart);
  let candidate = -1;
  for (const marker of ["`", "**", "__", "~~"]) {
    const positions: number[] = [];
    for (let i = line.indexOf(marker); i >= 0; i = line.indexOf(marker, i + marker.length)) positions.push(i);
    if (positions.length % 2 === 1) candidate = Math.max(candidate, positions[positions.length - 1]);
  }
  const bracket = line.lastIndexOf("[");
  if (bracket >= 0 && !/^\[[^\]]*\]\([^)]*\)/.test(line.slice(bracket))) candidate = Math.max(candidate, bracket);
  return candidate < 0 ? -1 : lineStart + candidate;
}

function cutOnce(text: string, limit: number): { head: string; tail: string } {
  let cut = boundary(text, limit);
  const fence = openFence(text.slice(0, cut));
  if (fence && fence.index > 0) {
    // Start the code block in the next part rather than splitting it.
    return { head: text.slice(0, fence.index), tail: text.slice(fence.index) };
  }
  if (fence) {
    // The block alone is longer than a part: close it here and reopen it, same language, in the next part.
    const close = "\n```";
    cut = boundary(text, limit - close.length, 0.5);
    if (cut <= fence.line.length + 1) cut = limit - close.length;
    const head = text.slice(0, cut).replace(/\n$/, "");
    return { head: `${head}${close}`, tail: `${fence.line}\n${text.slice(cut).replace(/^\n/, "")}` };
  }
  const inline = unclosedInline(text.slice(0, cut));
  if (inline > 0 && inline > limit * 0.3) cut = inline;
  return { head: text.slice(0, cut), tail: text.slice(cut) };
}
