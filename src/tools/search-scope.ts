import type { Workspace, WorkspaceEntry } from "../workspace/workspace.ts";
import { displayPath } from "../workspace/path-guard.ts";
import { globMatcher, typeMatcher } from "./glob-match.ts";
import { IGNORED_DIRS } from "./list-dir.ts";
import { ToolError } from "./types.ts";

/** R2's recursive listing stops at this many keys (src/workspace/r2-workspace.ts); more means the walk was cut. */
export const MAX_LISTED_FILES = 10_000;

export interface SearchScope {
  /** The resolved search root (workspace-relative, "" = root) and whether it names one file. */
  root: string;
  isFile: boolean;
  /** Files under the root that pass the ignore list, glob and type, sorted by path. */
  files: WorkspaceEntry[];
  /** True when the listing hit MAX_LISTED_FILES, so files further on were not seen. */
  listingCapped: boolean;
}

export interface ScopeOptions {
  path?: string;
  glob?: string;
  type?: string;
  includeDirs?: boolean;
}

/**
 * The files a search looks at. The path goes through the workspace boundary (a refusal is the usual
 * WorkspaceBoundaryError); dependency and cache folders are skipped as list_dir does.
 */
export async function searchScope(workspace: Workspace, options: ScopeOptions): Promise<SearchScope> {
  const requested = options.path?.trim() || ".";
  const root = workspace.resolvePath(requested);
  const entry = await workspace.stat(root);
  if (!entry) throw new ToolError(`Path not found: ${requested}`);
  const glob = options.glob ? globMatcher(options.glob) : () => true;
  const type = typeMatcher(options.type);
  if (!entry.isDirectory) return { root, isFile: true, files: [entry], listingCapped: false };
  const listed = await workspace.list(root, { recursive: true });
  const below = (p: string) => (root === "" ? p : p.slice(root.length + 1));
  const files = listed.filter((e) => {
    const rel = below(e.path);
    if (rel.split("/").some((segment) => IGNORED_DIRS.has(segment))) return false;
    if (e.isDirectory) return Boolean(options.includeDirs) && !options.type && glob(rel);
    return glob(rel) && type(rel);
  });
  const fileCount = listed.filter((e) => !e.isDirectory).length;
  return { root, isFile: false, files, listingCapped: fileCount >= MAX_LISTED_FILES };
}

export const shown = (entry: WorkspaceEntry) => displayPath(entry.path) + (entry.isDirectory ? "/" : "");

/** nanobot's paging note, so a model that knows nanobot pages the same way. */
export function paginationNote(limit: number | null, offset: number, truncated: boolean): string | null {
  if (truncated) return limit === null ? `(pagination: offset=${offset})` : `(pagination: limit=${limit}, offset=${offset})`;
  return offset > 0 ? `(pagination: offset=${offset})` : null;
}

export function page<T>(items: T[], limit: number | null, offset: number): { items: T[]; truncated: boolean } {
  if (limit === null) return { items: items.slice(offset), truncated: false };
  return { items: items.slice(offset, offset + limit), truncated: items.length > offset + limit };
}
