import type { Workspace } from "./workspace.ts";

/**
 * The files that go into every system prompt (AGENTS.md, SOUL.md, USER.md, memory/MEMORY.md) change rarely but
 * would cost four R2 reads per turn. They are kept per isolate for a short time; writes through this isolate
 * invalidate at once, writes elsewhere (another session, Dream, an exec in another isolate) show up within TTL_MS.
 */
const TTL_MS = 30_000;
const cache = new Map<string, { text: string | null; at: number }>();
const keyOf = (workspaceId: string, path: string) => `${workspaceId}\u0000${path}`;

export async function readPromptFile(workspace: Workspace, path: string, now = Date.now()): Promise<string | null> {
  const key = keyOf(workspace.id, path);
  const hit = cache.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.text;
  const text = await workspace.readText(path);
  cache.set(key, { text, at: now });
  return text;
}

/** Called by every write path of the workspace (file tools, exec sync-back). */
export function invalidatePromptFile(workspaceId: string, path: string): void {
  cache.delete(keyOf(workspaceId, path));
}
