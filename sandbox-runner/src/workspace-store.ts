import { randomUUID } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RunnerConfig } from "./config.ts";
import { scanFiles } from "./file-scan.ts";
import type { ChangeSet, IsolationMode, Manifest, SyncRequest } from "./protocol.ts";
import { deleteFileSafe, pathSegments, readFileSafe, writeFileSafe } from "./safe-fs.ts";

/** What the runner holds of one file: the R2 etag of that content ("" until the Worker acknowledges an upload). */
export interface ManifestEntry {
  etag: string;
  size: number;
  mtimeNs: string;
  /** Produced here but over the size caps, so never uploaded: the Worker must not delete it as stale. */
  local?: boolean;
}

interface WorkspaceState {
  /** Random id of this working copy; a runner with a wiped disk has another one (or none). */
  epoch: string;
  files: Record<string, ManifestEntry>;
}

export class EpochMismatchError extends Error {
  readonly manifest: Manifest;
  constructor(manifest: Manifest) {
    super(`Sync epoch mismatch: the runner holds epoch ${manifest.epoch ?? "none"}; fetch the manifest and resync.`);
    this.manifest = manifest;
  }
}

export class BadRequestError extends Error {}

export { validWorkspaceId } from "./protocol.ts";

/**
 * Per-workspace working copies under RUNNER_ROOT/workspaces/<id>, and their manifests under
 * RUNNER_ROOT/state (never mounted into a sandbox). Callers serialise jobs per workspace (limiter.ts).
 */
export function createWorkspaceStore(config: RunnerConfig, mode: IsolationMode) {
  const workspacesDir = path.join(config.root, "workspaces");
  const stateDir = path.join(config.root, "state");
  mkdirSync(config.root, { recursive: true, mode: 0o711 });
  mkdirSync(workspacesDir, { recursive: true, mode: 0o711 });
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const uidFile = path.join(stateDir, "uids.json");
  const uids: Record<string, number> = existsSync(uidFile) ? JSON.parse(readFileSync(uidFile, "utf8")) : {};
  const cache = new Map<string, WorkspaceState | null>();

  const encoded = (id: string) => encodeURIComponent(id);
  const dirOf = (id: string) => path.join(workspacesDir, encoded(id));
  const stateFile = (id: string) => path.join(stateDir, `${encoded(id)}.json`);

  /** `user` mode: one uid per workspace, so a command cannot read another workspace's files. */
  function uidOf(id: string): number | undefined {
    if (mode !== "user") return undefined;
    if (uids[id] === undefined) {
      uids[id] = config.sandboxUidBase + Object.keys(uids).length;
      writeJson(uidFile, uids);
    }
    return uids[id];
  }

  function writeJson(file: string, value: unknown) {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(value), { mode: 0o600 });
    renameSync(temp, file);
  }

  function load(id: string): WorkspaceState | null {
    if (cache.has(id)) return cache.get(id) ?? null;
    let state: WorkspaceState | null = null;
    if (existsSync(stateFile(id)) && existsSync(dirOf(id))) state = JSON.parse(readFileSync(stateFile(id), "utf8"));
    cache.set(id, state);
    return state;
  }

  function save(id: string, state: WorkspaceState) {
    cache.set(id, state);
    writeJson(stateFile(id), state);
  }

  function ensureDir(id: string): string {
    const dir = dirOf(id);
    if (!existsSync(dir)) {
      mkdirSync(dir, { mode: mode === "bwrap" ? 0o755 : 0o700 });
      const uid = uidOf(id);
      if (uid !== undefined) chownSync(dir, uid, uid);
    }
    return dir;
  }

  function manifest(id: string): Manifest {
    const state = load(id);
    const files: Manifest["files"] = {};
    for (const [p, e] of Object.entries(state?.files ?? {})) files[p] = e.local ? { etag: e.etag, size: e.size, local: true } : { etag: e.etag, size: e.size };
    return { workspace: id, epoch: state?.epoch ?? null, files };
  }

  /** Applies the Worker's changes; returns the epoch now in force. */
  function applySync(id: string, request: SyncRequest): string {
    let state = load(id);
    if (state === null && request.epoch === null) {
      state = { epoch: randomUUID(), files: {} };
    } else if (state === null || state.epoch !== request.epoch) {
      throw new EpochMismatchError(manifest(id));
    }
    const dir = ensureDir(id);
    const uid = uidOf(id);
    for (const rel of request.delete ?? []) {
      const segments = pathSegments(rel);
      if (!segments) throw new BadRequestError(`Invalid path in delete: '${rel}'.`);
      deleteFileSafe(dir, segments);
      delete state.files[rel];
    }
    for (const file of request.put ?? []) {
      const segments = pathSegments(file.path);
      if (!segments || typeof file.data !== "string" || typeof file.etag !== "string") throw new BadRequestError(`Invalid put entry for '${file.path}'.`);
      const data = Buffer.from(file.data, "base64");
      if (data.length > config.maxFileBytes) throw new BadRequestError(`'${file.path}' is larger than ${config.maxFileBytes} bytes.`);
      const st = writeFileSafe(dir, segments, data, uid);
      state.files[file.path] = { etag: file.etag, size: data.length, mtimeNs: st.mtimeNs.toString() };
    }
    for (const [rel, etag] of Object.entries(request.ack ?? {})) {
      const entry = state.files[rel];
      if (entry && !entry.local && typeof etag === "string") entry.etag = etag;
    }
    save(id, state);
    return state.epoch;
  }

  /** Compares the working copy with the manifest after a command; returns what the Worker must store in R2. */
  function collectChanges(id: string): ChangeSet {
    const state = load(id);
    const changes: ChangeSet = { changed: [], deleted: [], skipped: [] };
    if (!state) return changes;
    const dir = dirOf(id);
    const scanned = scanFiles(dir);
    let pulled = 0;
    for (const [rel, file] of scanned) {
      const known = state.files[rel];
      if (known && known.size === file.size && known.mtimeNs === file.mtimeNs) continue;
      const segments = pathSegments(rel);
      if (!segments) continue; // a name the Worker could not store (e.g. contains a backslash)
      const overCap = file.size > config.maxFileBytes ? "file larger than the sync limit" : pulled + file.size > config.maxPullBytes ? "sync budget of this command used up" : null;
      const data = overCap ? null : readFileSafe(dir, segments, config.maxFileBytes);
      if (!data) {
        changes.skipped.push({ path: rel, size: file.size, reason: overCap ?? "unreadable" });
        state.files[rel] = { etag: "", size: file.size, mtimeNs: file.mtimeNs, local: true };
        continue;
      }
      pulled += data.length;
      changes.changed.push({ path: rel, size: data.length, data: data.toString("base64") });
      state.files[rel] = { etag: "", size: file.size, mtimeNs: file.mtimeNs };
    }
    for (const rel of Object.keys(state.files)) {
      if (!scanned.has(rel)) {
        changes.deleted.push(rel);
        delete state.files[rel];
      }
    }
    if (changes.changed.length || changes.deleted.length || changes.skipped.length) save(id, state);
    return changes;
  }

  return { dirOf, ensureDir, uidOf, manifest, applySync, collectChanges, count: () => [...cache.values()].filter(Boolean).length };
}

export type WorkspaceStore = ReturnType<typeof createWorkspaceStore>;
