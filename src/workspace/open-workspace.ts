import { createWorkspace } from "./r2-workspace.ts";
import { ensureWorkspaceSeeded } from "./templates.ts";
import type { Workspace } from "./workspace.ts";

/** The workspace a turn works in, seeded with the starter files on first use. */
export async function openWorkspace(bucket: R2Bucket, workspaceId: string): Promise<Workspace> {
  const workspace = createWorkspace(bucket, workspaceId);
  await ensureWorkspaceSeeded(workspace);
  return workspace;
}
