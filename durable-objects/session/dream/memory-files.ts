import { WorkspaceBoundaryError } from "../../../src/workspace/path-guard.ts";
import type { Workspace } from "../../../src/workspace/workspace.ts";

/** The only files Dream may read or change. */
export const MEMORY_FILES = ["SOUL.md", "USER.md", "memory/MEMORY.md"] as const;

const REASON = "Dream may only read and edit SOUL.md, USER.md and memory/MEMORY.md";

/** The workspace as Dream's file tools see it: every path outside the three memory files is refused. */
export function memoryOnlyWorkspace(inner: Workspace): Workspace {
  const allowed = (path: string): string => {
    const rel = inner.resolvePath(path);
    if (!(MEMORY_FILES as readonly string[]).includes(rel)) throw new WorkspaceBoundaryError(path, REASON);
    return rel;
  };
  return {
    id: inner.id,
    resolvePath: allowed,
    readText: (p) => inner.readText(allowed(p)),
    readFile: (p) => inner.readFile(allowed(p)),
    writeFile: (p, content, type) => inner.writeFile(allowed(p), content, type),
    deleteFile: async (p) => {
      allowed(p);
      throw new WorkspaceBoundaryError(p, "Dream never deletes memory files");
    },
    exists: (p) => inner.exists(allowed(p)),
    // Parent folders are inspected by write checks; metadata of a folder reveals nothing.
    stat: (p) => inner.stat(inner.resolvePath(p)),
    list: async (p) => {
      throw new WorkspaceBoundaryError(p, REASON);
    },
  };
}

export type MemorySnapshot = Record<string, string>;

export async function snapshotMemory(workspace: Workspace): Promise<MemorySnapshot> {
  const texts = await Promise.all(MEMORY_FILES.map((p) => workspace.readText(p)));
  return Object.fromEntries(MEMORY_FILES.map((p, i) => [p, texts[i] ?? ""]));
}
