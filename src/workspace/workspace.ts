/**
 * The agent's workspace: files in R2 under `workspaces/<workspaceId>/`. Every path a tool passes in goes
 * through `resolvePath`, which enforces the workspace boundary.
 */
export interface WorkspaceEntry {
  path: string;
  size: number;
  isDirectory: boolean;
  uploaded?: Date;
}

export interface WorkspaceFile {
  path: string;
  body: ArrayBuffer;
  size: number;
  etag: string;
  contentType?: string;
}

export interface Workspace {
  readonly id: string;
  /** Normalised workspace-relative path, or throws a WorkspaceBoundaryError. */
  resolvePath(path: string): string;
  readText(path: string): Promise<string | null>;
  readFile(path: string): Promise<WorkspaceFile | null>;
  writeFile(path: string, content: string | ArrayBuffer | Uint8Array, contentType?: string): Promise<void>;
  deleteFile(path: string): Promise<boolean>;
  exists(path: string): Promise<boolean>;
  /** A file's entry, a directory's entry (directories are implied by files under them), or null. */
  stat(path: string): Promise<WorkspaceEntry | null>;
  list(path: string, options?: { recursive?: boolean; limit?: number }): Promise<WorkspaceEntry[]>;
}
