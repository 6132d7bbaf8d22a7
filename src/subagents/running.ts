import type { Env } from "../env.ts";

interface RunningChild {
  childKey: string;
  label: string;
  startedAt: number;
}

/**
 * Subagents each parent session started, in this isolate. The parent session's Durable Object runs the spawn
 * tool and /stop, so they share this map; after an eviction it is empty and children finish on their own.
 */
const byParent = new Map<string, Map<string, RunningChild>>();

export function trackChild(parentKey: string, id: string, child: RunningChild): void {
  let children = byParent.get(parentKey);
  if (!children) byParent.set(parentKey, (children = new Map()));
  children.set(id, child);
}

export function untrackChild(parentKey: string, id: string): void {
  byParent.get(parentKey)?.delete(id);
}

/** Children still working; finished ones are dropped after asking them. */
export async function activeChildren(env: Env, parentKey: string): Promise<RunningChild[]> {
  const children = byParent.get(parentKey);
  if (!children) return [];
  const checks = await Promise.all(
    [...children.entries()].map(async ([id, child]) => {
      const busy = await env.SESSIONS.getByName(child.childKey).subagentBusy().catch(() => false);
      if (!busy) children.delete(id);
      return busy ? child : null;
    }),
  );
  return checks.filter((c): c is RunningChild => c !== null);
}

export function trackedCount(parentKey: string): number {
  return byParent.get(parentKey)?.size ?? 0;
}

/** /stop: cancels every child of a parent; returns how many were asked to stop. */
export function cancelChildren(env: Env, parentKey: string, waitUntil: (p: Promise<unknown>) => void): number {
  const children = byParent.get(parentKey);
  if (!children?.size) return 0;
  const list = [...children.values()];
  byParent.delete(parentKey);
  for (const child of list) {
    waitUntil(
      env.SESSIONS.getByName(child.childKey)
        .cancelSubagent()
        .catch((err) => console.log(JSON.stringify({ event: "subagent_cancel_failed", child: child.childKey, error: String(err) }))),
    );
  }
  return list.length;
}
