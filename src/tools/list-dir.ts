import { z } from "zod";
import { PATH_HELP } from "./path-help.ts";
import { ToolError, defineTool } from "./types.ts";

const DEFAULT_MAX_ENTRIES = 200;

/** Folders that are noise for the model (dependencies, caches, VCS internals); same set as nanobot. */
export const IGNORED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  "node_modules",
  "__pycache__",
  ".venv",
  "venv",
  "dist",
  "build",
  ".tox",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".coverage",
  "htmlcov",
]);

export const listDirTool = defineTool({
  name: "list_dir",
  description: "List a workspace directory (skips .git, node_modules and caches); recursive lists all paths below it.",
  parameters: z.object({
    path: z.string().describe(`${PATH_HELP} "." is the root.`),
    recursive: z.boolean().optional().describe("Include everything below path (default false)."),
    max_entries: z.number().int().min(1).max(5000).optional().describe(`Default ${DEFAULT_MAX_ENTRIES}.`),
  }),
  readOnly: true,
  async execute({ path, recursive = false, max_entries = DEFAULT_MAX_ENTRIES }, { workspace }) {
    const rel = workspace.resolvePath(path);
    const entry = await workspace.stat(rel);
    if (!entry) throw new ToolError(`Directory not found: ${path}`);
    if (!entry.isDirectory) throw new ToolError(`Not a directory: ${path}. Use read_file to read a file.`);
    const listed = await workspace.list(rel, { recursive });
    const below = (p: string) => (rel === "" ? p : p.slice(rel.length + 1));
    const visible = listed
      .map((e) => ({ ...e, name: below(e.path) }))
      .filter((e) => !e.name.split("/").some((segment) => IGNORED_DIRS.has(segment)));
    if (visible.length === 0) return `Directory ${path} is empty`;
    const shown = visible.slice(0, max_entries);
    const lines = shown.map((e) =>
      recursive ? (e.isDirectory ? `${e.name}/` : e.name) : `${e.isDirectory ? "📁" : "📄"} ${e.name}`,
    );
    if (visible.length > shown.length) lines.push(`\n(truncated, showing first ${shown.length} of ${visible.length} entries)`);
    return lines.join("\n");
  },
});
