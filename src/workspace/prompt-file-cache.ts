import type { Workspace, WorkspaceEntry } from "./workspace.ts";

/**
 * The files that go into every system prompt (AGENTS.md, SOUL.md, USER.md, memory/MEMORY.md) change rarely but
 * would cost four R2 reads per turn. They are kept per isolate for a short time; writes through this isolate
 * invalidate at once, writes elsewhere (another session, Dream, an exec in another isolate) show up within TTL_MS.
 * Directory listings that feed the prompt (the `skills` folder: one R2 list plus a read per skill, every turn)
 * are kept the same way; a write anywhere below a cached directory drops its listing.
 */
const TTL_MS = 30_000;
const cache = new Map<string, { text: string | null; at: number }>();
const listings = new Map<string, { entries: WorkspaceEntry[]; at: number }>();
const keyOf = (workspaceId: string, path: string) => `${workspaceId}\u0000${path}`;

export async function readPromptFile(workspace: Workspace, path: string, now = Date.now()): Promise<string | null> {
  const key = keyOf(workspace.id, path);
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.text;
  const text = await workspace.readText(path);
  cache.set(key, { text, at: now });
  return text;
}

/** `workspace.list(dir)` (not recursive) through the same cache; callers must not modify the entries. */
export async function listPromptDir(workspace: Workspace, dir: string, now = Date.now()): Promise<readonly WorkspaceEntry[]> {
  const key = keyOf(workspace.id, dir);
  const hit = listings.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.entries;
  const entries = await workspace.list(dir);
  listings.set(key, { entries, at: now });
  return entries;
}

/** Called by every write path of the workspace (file tools, exec sync-back). */
export function invalidatePromptFile(workspaceId: string, path: string): void {
  cache.delete(keyOf(workspaceId, path));
  if (!listings.size) return;
  // Every ancestor directory's listing may have gained or lost an entry.
  for (let slash = path.lastIndexOf("/"); slash > 0; slash = path.lastIndexOf("/", slash - 1)) {
    listings.delete(keyOf(workspaceId, path.slice(0, slash)));
  }
  listings.delete(keyOf(workspaceId, ""));
}

/** Drops everything cached for a workspace that no longer exists (a stateless request's scratch workspace). */
export function forgetWorkspace(workspaceId: string): void {
  const prefix = keyOf(workspaceId, "");
  for (const key of cache.keys()) if (key.startsWith(prefix)) cache.delete(key);
  for (const key of listings.keys()) if (key.startsWith(prefix)) listings.delete(key);
}
