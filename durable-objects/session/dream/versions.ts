import { lineDiff } from "./line-diff.ts";
import type { MemorySnapshot } from "./memory-files.ts";

/**
 * Versions of the memory files without git: each change is an R2 snapshot of the changed files (before and
 * after) under `memory-versions/<workspaceId>/<versionId>/` plus a D1 row with a summary and line stats.
 * The snapshots live outside `workspaces/`, the only prefix the agent's tools (file tools, exec's sync) can
 * reach, so a turn cannot rewrite the restore point it would later be rolled back to.
 */
export interface FileStat {
  path: string;
  added: number;
  removed: number;
}

export interface MemoryVersion {
  id: string;
  workspaceId: string;
  kind: "dream" | "restore";
  summary: string;
  files: FileStat[];
  restoredFrom: string | null;
  createdAt: number;
}

type Side = "before" | "after";
const snapshotKey = (workspaceId: string, id: string, side: Side, path: string) => `memory-versions/${workspaceId}/${id}/${side}/${path}`;
/** Where versions recorded before the snapshots moved out of the workspace still are (read-only fallback). */
const legacySnapshotKey = (workspaceId: string, id: string, side: Side, path: string) => `workspaces/${workspaceId}/.versions/${id}/${side}/${path}`;

/** Sortable and short enough to type: `YYYYMMDD-HHMMSS-xxxx`. */
export function newVersionId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `${stamp}-${crypto.randomUUID().slice(0, 4)}`;
}

/** Records a version when something changed; returns null when before and after are the same. */
export async function recordVersion(
  env: { WORKSPACE: R2Bucket; DB: D1Database },
  input: { workspaceId: string; kind: MemoryVersion["kind"]; summary: string; before: MemorySnapshot; after: MemorySnapshot; restoredFrom?: string },
): Promise<MemoryVersion | null> {
  const changed = Object.keys(input.after).filter((p) => (input.before[p] ?? "") !== input.after[p]);
  if (!changed.length) return null;
  const version: MemoryVersion = {
    id: newVersionId(),
    workspaceId: input.workspaceId,
    kind: input.kind,
    summary: input.summary.slice(0, 500),
    files: changed.map((path) => {
      const d = lineDiff(input.before[path] ?? "", input.after[path]);
      return { path, added: d.added.length, removed: d.removed.length };
    }),
    restoredFrom: input.restoredFrom ?? null,
    createdAt: Date.now(),
  };
  await Promise.all(
    changed.flatMap((path) => [
      env.WORKSPACE.put(snapshotKey(input.workspaceId, version.id, "before", path), input.before[path] ?? ""),
      env.WORKSPACE.put(snapshotKey(input.workspaceId, version.id, "after", path), input.after[path]),
    ]),
  );
  await env.DB.prepare(
    "INSERT INTO memory_versions (id, workspace_id, kind, summary, files, restored_from, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  )
    .bind(version.id, version.workspaceId, version.kind, version.summary, JSON.stringify(version.files), version.restoredFrom, version.createdAt)
    .run();
  return version;
}

const toVersion = (r: Record<string, unknown>): MemoryVersion => ({
  id: r.id as string,
  workspaceId: r.workspace_id as string,
  kind: r.kind as MemoryVersion["kind"],
  summary: r.summary as string,
  files: JSON.parse(r.files as string),
  restoredFrom: (r.restored_from as string | null) ?? null,
  createdAt: r.created_at as number,
});

export async function listVersions(db: D1Database, workspaceId: string, limit = 10): Promise<MemoryVersion[]> {
  const { results } = await db
    .prepare("SELECT * FROM memory_versions WHERE workspace_id = ? ORDER BY created_at DESC, id DESC LIMIT ?")
    .bind(workspaceId, limit)
    .all();
  return results.map(toVersion);
}

export async function getVersion(db: D1Database, workspaceId: string, id: string): Promise<MemoryVersion | null> {
  const row = await db.prepare("SELECT * FROM memory_versions WHERE workspace_id = ? AND id = ?").bind(workspaceId, id).first();
  return row ? toVersion(row) : null;
}

/** The before/after text of one file of a version (null when the snapshot is missing). */
export async function readSnapshot(bucket: R2Bucket, version: MemoryVersion, side: Side, path: string): Promise<string | null> {
  const obj = (await bucket.get(snapshotKey(version.workspaceId, version.id, side, path))) ?? (await bucket.get(legacySnapshotKey(version.workspaceId, version.id, side, path)));
  return obj ? obj.text() : null;
}
