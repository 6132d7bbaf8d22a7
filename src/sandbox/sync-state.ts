import type { RunnerManifest } from "./runner-client.ts";

/** What the runner holds of one workspace, as far as the Worker knows. */
export interface SyncState {
  epoch: string | null;
  /** path → R2 etag of the content the runner holds; `acked` false until the runner has been told the etag. */
  files: Map<string, { etag: string; acked: boolean }>;
  /** Files the runner produced over the sync caps: they exist only there and must not be deleted as stale. */
  localOnly: Set<string>;
}

export interface SyncUpdate {
  epoch: string;
  /** Rows to (re)write. */
  upsert: Array<{ path: string; etag: string; acked: boolean }>;
  remove: string[];
  /** Replace every row (after a resync from the runner's manifest). */
  replaceAll?: boolean;
}

// D1 limits bound parameters per statement to 100; one row per statement keeps batches simple.
const BATCH = 500;

/** Sync state in D1 (migrations/0002_sandbox_sync.sql). */
export function createSyncStateStore(db: D1Database) {
  return {
    async load(workspaceId: string): Promise<SyncState> {
      const [sync, files] = await db.batch<Record<string, unknown>>([
        db.prepare("SELECT epoch FROM sandbox_sync WHERE workspace_id = ?").bind(workspaceId),
        db.prepare("SELECT path, etag, acked FROM sandbox_files WHERE workspace_id = ?").bind(workspaceId),
      ]);
      const epoch = (sync.results[0]?.epoch as string | undefined) ?? null;
      const map = new Map<string, { etag: string; acked: boolean }>();
      if (epoch) for (const row of files.results) map.set(row.path as string, { etag: row.etag as string, acked: row.acked === 1 });
      return { epoch, files: map, localOnly: new Set() };
    },

    async save(workspaceId: string, update: SyncUpdate): Promise<void> {
      const statements: D1PreparedStatement[] = [
        db
          .prepare("INSERT INTO sandbox_sync (workspace_id, epoch, updated_at) VALUES (?, ?, ?) ON CONFLICT (workspace_id) DO UPDATE SET epoch = excluded.epoch, updated_at = excluded.updated_at")
          .bind(workspaceId, update.epoch, Date.now()),
      ];
      if (update.replaceAll) statements.push(db.prepare("DELETE FROM sandbox_files WHERE workspace_id = ?").bind(workspaceId));
      for (const path of update.remove) statements.push(db.prepare("DELETE FROM sandbox_files WHERE workspace_id = ? AND path = ?").bind(workspaceId, path));
      const upsert = db.prepare(
        "INSERT INTO sandbox_files (workspace_id, path, etag, acked) VALUES (?, ?, ?, ?) ON CONFLICT (workspace_id, path) DO UPDATE SET etag = excluded.etag, acked = excluded.acked",
      );
      for (const row of update.upsert) statements.push(upsert.bind(workspaceId, row.path, row.etag, row.acked ? 1 : 0));
      for (let i = 0; i < statements.length; i += BATCH) await db.batch(statements.slice(i, i + BATCH));
    },
  };
}

export type SyncStateStore = ReturnType<typeof createSyncStateStore>;

/** The state a runner's manifest implies: files without a known etag count as unknown, so R2's copy is resent. */
export function stateFromManifest(manifest: RunnerManifest): SyncState {
  const files = new Map<string, { etag: string; acked: boolean }>();
  const localOnly = new Set<string>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    if (entry.local) localOnly.add(path);
    else files.set(path, { etag: entry.etag, acked: true });
  }
  return { epoch: manifest.epoch, files, localOnly };
}
