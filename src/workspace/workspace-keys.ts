/**
 * Where a workspace's files live in R2: `workspaces/<workspaceId>/<path>`. Workspace ids have no "/"
 * (src/session-protocol/workspace-id.ts), so the first segment after `workspaces/` is always the id.
 */
export const workspaceKey = (workspaceId: string, path: string) => `workspaces/${workspaceId}/${path}`;

/** The workspace path of a workspace's R2 key (`workspaces/main/media/a.pdf` → `media/a.pdf`), as read_file takes it. */
export const workspacePathOf = (key: string) => key.replace(/^workspaces\/[^/]+\//, "");
