/**
 * `memory/history.jsonl` in the workspace: the append-only log of conversation summaries that Dream folds
 * into the memory files. One JSON object per line: `{cursor, ts, session, summary}`.
 *
 * R2 has no append, and several sessions of one workspace may consolidate at once, so an append is a
 * read-modify-write guarded by the object's etag (`onlyIf`), retried on conflict. The file stays small
 * because Dream compacts it (≤ MAX_KEPT entries, never dropping entries Dream has not read yet).
 */
export const HISTORY_FILE = "memory/history.jsonl";
/** nanobot's caps: a summary above this is cut; the file keeps at most this many processed entries. */
export const MAX_SUMMARY_CHARS = 8_000;
export const MAX_KEPT = 1_000;
const MAX_ATTEMPTS = 8;

export interface HistoryEntry {
  cursor: number;
  ts: string;
  session: string;
  summary: string;
}

const keyOf = (workspaceId: string) => `workspaces/${workspaceId}/${HISTORY_FILE}`;

export function parseHistory(text: string): HistoryEntry[] {
  const out: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as HistoryEntry;
      if (typeof entry.cursor === "number" && typeof entry.summary === "string") out.push(entry);
    } catch {
      // A hand-edited or torn line is skipped rather than blocking every later append.
    }
  }
  return out;
}

const serialize = (entries: HistoryEntry[]) => entries.map((e) => JSON.stringify(e)).join("\n") + (entries.length ? "\n" : "");

/** Rewrites the file with `change(entries)` under an etag guard; retries when another writer got there first. */
async function update(bucket: R2Bucket, workspaceId: string, change: (entries: HistoryEntry[]) => HistoryEntry[] | null): Promise<HistoryEntry[]> {
  const key = keyOf(workspaceId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await bucket.get(key);
    const entries = current ? parseHistory(await current.text()) : [];
    const next = change(entries);
    if (next === null) return entries;
    const body = serialize(next);
    const written = current
      ? await bucket.put(key, body, { onlyIf: { etagMatches: current.etag }, httpMetadata: { contentType: "application/x-ndjson" } })
      : await bucket.put(key, body, { onlyIf: { uploadedBefore: new Date(0) }, httpMetadata: { contentType: "application/x-ndjson" } });
    if (written) return next;
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
  }
  throw new Error(`history.jsonl of ${workspaceId} kept changing under ${MAX_ATTEMPTS} attempts`);
}

function timestamp(now: Date): string {
  return now.toISOString().slice(0, 16).replace("T", " ");
}

/** The last well-formed entry of the file, read from the end (the rest of the file is not parsed). */
function lastEntry(text: string): HistoryEntry | null {
  for (let end = text.length; end > 0; ) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const [entry] = parseHistory(text.slice(start, end));
    if (entry) return entry;
    end = start - 1;
  }
  return null;
}

/**
 * Appends one summary and returns the stored entry (with its cursor). The new line is added to the file's text
 * as it is: parsing and re-serializing every entry on each consolidation made a turn's CPU grow with the file
 * until Dream compacted it (~190 ms per turn at 1,000 entries; docs/benchmarks.md, "Flat with history").
 */
export async function appendHistory(bucket: R2Bucket, workspaceId: string, session: string, summary: string, now = new Date()): Promise<HistoryEntry> {
  const key = keyOf(workspaceId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await bucket.get(key);
    const text = current ? await current.text() : "";
    const added: HistoryEntry = { cursor: (lastEntry(text)?.cursor ?? 0) + 1, ts: timestamp(now), session, summary: summary.slice(0, MAX_SUMMARY_CHARS) };
    const body = `${text}${text && !text.endsWith("\n") ? "\n" : ""}${JSON.stringify(added)}\n`;
    const written = await bucket.put(key, body, {
      onlyIf: current ? { etagMatches: current.etag } : { uploadedBefore: new Date(0) },
      httpMetadata: { contentType: "application/x-ndjson" },
    });
    if (written) return added;
    await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * (attempt + 1)));
  }
  throw new Error(`history.jsonl of ${workspaceId} kept changing under ${MAX_ATTEMPTS} attempts`);
}

export async function readHistory(bucket: R2Bucket, workspaceId: string): Promise<HistoryEntry[]> {
  const obj = await bucket.get(keyOf(workspaceId));
  return obj ? parseHistory(await obj.text()) : [];
}

/** Drops the oldest processed entries beyond MAX_KEPT; entries after `processedThrough` are never dropped. */
export async function compactHistory(bucket: R2Bucket, workspaceId: string, processedThrough: number, keep = MAX_KEPT): Promise<void> {
  await update(bucket, workspaceId, (entries) => {
    if (entries.length <= keep) return null;
    const excess = entries.length - keep;
    const droppable = entries.filter((e) => e.cursor <= processedThrough).length;
    const drop = Math.min(excess, droppable);
    return drop > 0 ? entries.slice(drop) : null;
  });
}
