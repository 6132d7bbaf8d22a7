import type { Workspace, WorkspaceEntry } from "../workspace/workspace.ts";

// Each file is one R2 GET, and a Worker invocation has a bounded number of subrequests (1000 on the paid plan);
// one grep must leave room for the rest of the turn.
export const MAX_FILES_READ = 400;
/** Files larger than this are skipped in a folder search (nanobot's 2 MB); an explicitly named file may be larger. */
export const MAX_FILE_BYTES = 2_000_000;
export const MAX_EXPLICIT_FILE_BYTES = 10 * 1024 * 1024;
// Workers have 128 MB per isolate; a few files are held at once.
const PARALLEL_READS = 6;

export interface ReadableFile {
  entry: WorkspaceEntry;
  /** Text, or why it was skipped. */
  text: string | null;
  skipped?: "binary" | "large";
}

function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  if (sample.includes(0)) return true;
  let control = 0;
  for (const b of sample) if (b < 9 || (b > 13 && b < 32)) control++;
  return sample.length > 0 && control / sample.length > 0.2;
}

async function readOne(workspace: Workspace, entry: WorkspaceEntry, maxBytes: number): Promise<ReadableFile> {
  if (entry.size > maxBytes) return { entry, text: null, skipped: "large" };
  const file = await workspace.readFile(entry.path);
  if (!file) return { entry, text: null, skipped: "binary" };
  const bytes = new Uint8Array(file.body);
  if (looksBinary(bytes)) return { entry, text: null, skipped: "binary" };
  try {
    return { entry, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { entry, text: null, skipped: "binary" };
  }
}

/** Reads files a few at a time, in order, stopping when `visit` returns false. */
export async function forEachText(
  workspace: Workspace,
  entries: WorkspaceEntry[],
  maxBytes: number,
  visit: (file: ReadableFile) => boolean,
): Promise<void> {
  for (let i = 0; i < entries.length; i += PARALLEL_READS) {
    const batch = await Promise.all(entries.slice(i, i + PARALLEL_READS).map((e) => readOne(workspace, e, maxBytes)));
    for (const file of batch) if (!visit(file)) return;
  }
}
