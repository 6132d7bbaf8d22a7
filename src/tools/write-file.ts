import { z } from "zod";
import type { Workspace } from "../workspace/workspace.ts";
import { PATH_HELP } from "./path-help.ts";
import { ToolError, defineTool } from "./types.ts";

/** Characters as Python counts them (code points), so messages match nanobot's for non-BMP text too. */
export function countChars(text: string): number {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const prev = text.charCodeAt(i - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) surrogatePairs++;
    }
  }
  return text.length - surrogatePairs;
}

/**
 * R2 has no directories, so a file could be written "inside" another file (`a.txt/b.txt`). The sandbox runner's
 * disk copy could not represent that; refuse it like a real filesystem would.
 */
export async function assertWritableFilePath(workspace: Workspace, path: string): Promise<string> {
  const rel = workspace.resolvePath(path);
  if (rel === "") throw new ToolError("path must name a file, not the workspace root.");
  const parts = rel.split("/");
  const candidates = [rel, ...parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"))];
  const entries = await Promise.all(candidates.map((p) => workspace.stat(p)));
  if (entries[0]?.isDirectory) throw new ToolError(`${path} is a directory; choose a file name inside it.`);
  const blocking = entries.slice(1).findIndex((e) => e && !e.isDirectory);
  if (blocking >= 0) throw new ToolError(`Cannot create ${path}: ${candidates[blocking + 1]} is a file, not a directory.`);
  return rel;
}

export const writeFileTool = defineTool({
  name: "write_file",
  description: "Create or overwrite a workspace file (parent folders are created). Prefer edit_file for small changes.",
  parameters: z.object({
    path: z.string().describe(PATH_HELP),
    content: z.string().describe("The whole new file content."),
  }),
  async execute({ path, content }, { workspace }) {
    const rel = await assertWritableFilePath(workspace, path);
    await workspace.writeFile(rel, content);
    return `Successfully wrote ${countChars(content)} characters to ${path}`;
  },
});
