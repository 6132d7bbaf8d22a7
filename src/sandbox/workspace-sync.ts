import { contentTypeFor, decodeText } from "../workspace/content-type.ts";
import { base64ToBytes, bytesToBase64 } from "./base64.ts";
import {
  RunnerEpochMismatchError,
  type RunnerClient,
  type RunnerExecRequest,
  type RunnerExecResult,
  type RunnerFile,
} from "./runner-client.ts";
import { stateFromManifest, type SyncState, type SyncStateStore } from "./sync-state.ts";

/**
 * Keeps the runner's working copy in step with R2 around one command (protocol: sandbox-runner/README.md).
 * Before: send what changed in R2 since the runner's last sync (by etag). After: store in R2 what the command
 * created, changed or deleted. R2 stays the truth; a runner with a wiped disk is detected by its epoch and
 * refilled from R2.
 */

export interface SyncLimits {
  /** Files larger than this stay out of the sandbox (and are not pulled back); match RUNNER_MAX_FILE_BYTES. */
  maxFileBytes: number;
  /** Upload budget per request; larger pushes go in several /sync requests before the exec. */
  maxBatchBytes: number;
}

export const DEFAULT_SYNC_LIMITS: SyncLimits = { maxFileBytes: 8 * 1024 * 1024, maxBatchBytes: 16 * 1024 * 1024 };

// Dream's memory versions are history, not working files.
const EXCLUDED_PREFIXES = [".versions/"];
const R2_PARALLELISM = 8;

export interface SyncedExecOptions {
  bucket: R2Bucket;
  state: SyncStateStore;
  client: RunnerClient;
  workspaceId: string;
  request: Omit<RunnerExecRequest, "workspace" | "sync">;
  signal?: AbortSignal;
  limits?: SyncLimits;
}

export interface SyncReport {
  pushed: number;
  pulled: number;
  deleted: number;
  /** Files the command produced that were too large to store in R2 (they stay on the runner only). */
  notStored: Array<{ path: string; size: number; reason: string }>;
  /** R2 files too large to copy into the sandbox. */
  notCopied: Array<{ path: string; size: number }>;
  resynced: boolean;
}

export type SyncedExecResult = RunnerExecResult & { sync: SyncReport };

interface RemoteFile {
  etag: string;
  size: number;
}

const usablePath = (path: string) =>
  path !== "" && !path.endsWith("/") && !path.split("/").some((s) => s === "" || s === "." || s === "..") && !EXCLUDED_PREFIXES.some((p) => path.startsWith(p));

async function listRemote(bucket: R2Bucket, prefix: string): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    for (const object of page.objects) {
      const path = object.key.slice(prefix.length);
      if (usablePath(path)) files.set(path, { etag: object.etag, size: object.size });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return files;
}

async function inParallel<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += R2_PARALLELISM) await Promise.all(items.slice(i, i + R2_PARALLELISM).map(work));
}

interface Plan {
  put: string[];
  delete: string[];
  ack: Record<string, string>;
  notCopied: Array<{ path: string; size: number }>;
}

function plan(remote: Map<string, RemoteFile>, state: SyncState, limits: SyncLimits): Plan {
  const result: Plan = { put: [], delete: [], ack: {}, notCopied: [] };
  for (const [path, file] of remote) {
    if (state.files.get(path)?.etag === file.etag) continue;
    if (file.size > limits.maxFileBytes) result.notCopied.push({ path, size: file.size });
    else result.put.push(path);
  }
  for (const [path, known] of state.files) {
    if (!remote.has(path)) result.delete.push(path);
    else if (!known.acked) result.ack[path] = known.etag;
  }
  return result;
}

/** Reads the files to push from R2, grouped into request-sized batches. */
async function* pushBatches(bucket: R2Bucket, prefix: string, paths: string[], remote: Map<string, RemoteFile>, limits: SyncLimits) {
  let batch: RunnerFile[] = [];
  let bytes = 0;
  for (let i = 0; i < paths.length; i += R2_PARALLELISM) {
    const chunk = paths.slice(i, i + R2_PARALLELISM);
    const objects = await Promise.all(chunk.map((p) => bucket.get(prefix + p)));
    for (const [j, object] of objects.entries()) {
      if (!object) continue; // deleted since the listing; the next exec sees it gone
      const data = bytesToBase64(new Uint8Array(await object.arrayBuffer()));
      if (batch.length > 0 && bytes + data.length > limits.maxBatchBytes) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push({ path: chunk[j], etag: object.etag ?? remote.get(chunk[j])?.etag ?? "", data });
      bytes += data.length;
    }
  }
  yield batch;
}

/** Runs one command on the runner with the workspace synced in both directions. */
export async function execWithSync(options: SyncedExecOptions): Promise<SyncedExecResult> {
  const { bucket, client, workspaceId, signal } = options;
  const limits = options.limits ?? DEFAULT_SYNC_LIMITS;
  const prefix = `workspaces/${workspaceId}/`;
  const [remote, stored] = await Promise.all([listRemote(bucket, prefix), options.state.load(workspaceId)]);
  let state = stored;
  let resynced = false;

  for (let attempt = 0; ; attempt++) {
    const todo = plan(remote, state, limits);
    try {
      let epoch = state.epoch;
      let pending: RunnerFile[] = [];
      let first = true;
      const control = () => (first ? { delete: todo.delete, ack: todo.ack } : {});
      for await (const batch of pushBatches(bucket, prefix, todo.put, remote, limits)) {
        if (pending.length > 0) {
          epoch = (await client.sync(workspaceId, { epoch, put: pending, ...control() }, signal)).epoch;
          first = false;
        }
        pending = batch;
      }
      const result = await client.exec({ ...options.request, workspace: workspaceId, sync: { epoch, put: pending, ...control() } }, signal);
      const sync = await storeResults(options, prefix, state, todo, remote, result, resynced);
      return { ...result, sync };
    } catch (err) {
      if (!(err instanceof RunnerEpochMismatchError) || attempt > 0) throw err;
      // The runner restarted (maybe with an empty disk) or our state is stale: rebuild it from the runner's manifest.
      console.log(JSON.stringify({ event: "sandbox_resync", workspace: workspaceId, runnerEpoch: err.manifest.epoch }));
      state = stateFromManifest(err.manifest);
      resynced = true;
    }
  }
}

/** Writes the command's file changes to R2 and records what the runner now holds. */
async function storeResults(
  options: SyncedExecOptions,
  prefix: string,
  before: SyncState,
  todo: Plan,
  remote: Map<string, RemoteFile>,
  result: RunnerExecResult,
  resynced: boolean,
): Promise<SyncReport> {
  const files = new Map(before.files);
  for (const path of todo.delete) files.delete(path);
  for (const path of Object.keys(todo.ack)) files.set(path, { etag: todo.ack[path], acked: true });
  for (const path of todo.put) files.set(path, { etag: remote.get(path)?.etag ?? "", acked: true });
  const touched = new Set<string>([...todo.put, ...Object.keys(todo.ack)]);
  const removed = new Set<string>(todo.delete);

  const { changed, deleted, skipped } = result.changedFiles;
  await inParallel(changed, async (file) => {
    const bytes = base64ToBytes(file.data);
    const written = await options.bucket.put(prefix + file.path, bytes, {
      httpMetadata: { contentType: contentTypeFor(file.path, decodeText(bytes) !== null) },
    });
    files.set(file.path, { etag: written?.etag ?? "", acked: false });
    touched.add(file.path);
    removed.delete(file.path);
  });
  await inParallel(deleted, async (path) => {
    await options.bucket.delete(prefix + path);
    files.delete(path);
    removed.add(path);
    touched.delete(path);
  });

  if (result.epoch) {
    await options.state.save(options.workspaceId, {
      epoch: result.epoch,
      replaceAll: resynced,
      upsert: [...(resynced ? files.keys() : touched)].filter((p) => files.has(p)).map((p) => ({ path: p, ...files.get(p)! })),
      remove: resynced ? [] : [...removed],
    });
  }
  return { pushed: todo.put.length, pulled: changed.length, deleted: deleted.length, notStored: skipped, notCopied: todo.notCopied, resynced };
}
