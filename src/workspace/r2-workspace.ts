import { resolveWorkspacePath } from "./path-guard.ts";
import { contentTypeFor } from "./content-type.ts";
import type { Workspace, WorkspaceEntry, WorkspaceFile } from "./workspace.ts";
import { invalidatePromptFile } from "./prompt-file-cache.ts";
import { workspaceKey } from "./workspace-keys.ts";

// R2 returns at most 1000 keys per list call; a recursive listing stops after this many keys so one
// list_dir on a huge tree cannot eat the Worker's subrequest budget (1000 per invocation on the paid plan).
const MAX_LISTED_KEYS = 10_000;

/** The workspace `workspaceId` as files in R2 under `workspaces/<workspaceId>/`; directories are key prefixes. */
export function createWorkspace(bucket: R2Bucket, workspaceId: string): Workspace {
  if (!workspaceId || workspaceId.includes("..") || workspaceId.startsWith("/") || workspaceId.endsWith("/")) {
    throw new Error(`Invalid workspace id '${workspaceId}': use names like "main" or "main/telegram-42".`);
  }
  const base = workspaceKey(workspaceId, "");
  const keyOf = (rel: string) => base + rel;
  const relOf = (key: string) => key.slice(base.length);
  const dirPrefix = (rel: string) => (rel === "" ? base : `${base}${rel}/`);

  async function hasChildren(rel: string): Promise<boolean> {
    const listed = await bucket.list({ prefix: dirPrefix(rel), limit: 1 });
    return listed.objects.length > 0 || listed.delimitedPrefixes.length > 0;
  }

  async function listAll(prefix: string, delimiter: string | undefined, maxKeys: number) {
    const objects: R2Object[] = [];
    const prefixes: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ prefix, delimiter, cursor, limit: Math.min(1000, maxKeys - objects.length) });
      objects.push(...page.objects);
      prefixes.push(...page.delimitedPrefixes);
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor && objects.length < maxKeys);
    return { objects, prefixes };
  }

  const workspace: Workspace = {
    id: workspaceId,
    resolvePath: resolveWorkspacePath,

    async readText(path) {
      const object = await bucket.get(keyOf(resolveWorkspacePath(path)));
      return object ? object.text() : null;
    },

    async readFile(path): Promise<WorkspaceFile | null> {
      const rel = resolveWorkspacePath(path);
      const object = await bucket.get(keyOf(rel));
      if (!object) return null;
      return {
        path: rel,
        body: await object.arrayBuffer(),
        size: object.size,
        etag: object.etag,
        contentType: object.httpMetadata?.contentType,
      };
    },

    async writeFile(path, content, contentType) {
      const rel = resolveWorkspacePath(path);
      if (rel === "") throw new Error("Cannot write to the workspace root; give a file name.");
      await bucket.put(keyOf(rel), content, {
        httpMetadata: { contentType: contentType ?? contentTypeFor(rel, typeof content === "string") },
      });
      invalidatePromptFile(workspaceId, rel);
    },

    async deleteFile(path) {
      const rel = resolveWorkspacePath(path);
      const key = keyOf(rel);
      if (!(await bucket.head(key))) return false;
      await bucket.delete(key);
      invalidatePromptFile(workspaceId, rel);
      return true;
    },

    async exists(path) {
      return (await workspace.stat(path)) !== null;
    },

    async stat(path): Promise<WorkspaceEntry | null> {
      const rel = resolveWorkspacePath(path);
      if (rel === "") return { path: "", size: 0, isDirectory: true };
      const head = await bucket.head(keyOf(rel));
      if (head) return { path: rel, size: head.size, isDirectory: false, uploaded: head.uploaded };
      return (await hasChildren(rel)) ? { path: rel, size: 0, isDirectory: true } : null;
    },

    async list(path, options = {}): Promise<WorkspaceEntry[]> {
      const rel = resolveWorkspacePath(path);
      const prefix = dirPrefix(rel);
      const maxKeys = Math.min(options.limit ?? MAX_LISTED_KEYS, MAX_LISTED_KEYS);
      const entries = new Map<string, WorkspaceEntry>();
      if (!options.recursive) {
        const { objects, prefixes } = await listAll(prefix, "/", maxKeys);
        for (const p of prefixes) {
          const dir = relOf(p).replace(/\/$/, "");
          entries.set(dir, { path: dir, size: 0, isDirectory: true });
        }
        for (const o of objects) entries.set(relOf(o.key), toEntry(relOf(o.key), o));
      } else {
        const { objects } = await listAll(prefix, undefined, maxKeys);
        for (const o of objects) {
          const file = relOf(o.key);
          entries.set(file, toEntry(file, o));
          // Every parent between the listed directory and the file is an (implied) directory.
          const segments = file.slice(rel === "" ? 0 : rel.length + 1).split("/");
          let dir = rel;
          for (const segment of segments.slice(0, -1)) {
            dir = dir === "" ? segment : `${dir}/${segment}`;
            if (!entries.has(dir)) entries.set(dir, { path: dir, size: 0, isDirectory: true });
          }
        }
      }
      return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
  return workspace;
}

function toEntry(path: string, object: R2Object): WorkspaceEntry {
  return { path, size: object.size, isDirectory: false, uploaded: object.uploaded };
}
