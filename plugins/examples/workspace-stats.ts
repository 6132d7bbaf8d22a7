/**
 * Example plugin: a tool that uses the turn's context (the R2 workspace). Copy this file to
 * `plugins/workspace-stats.ts` and restart. Paths go through `ctx.workspace`, so the workspace boundary
 * applies to plugins exactly as to the built-in file tools.
 */
import { z } from "zod";
import { defineTool } from "../../src/tools/types.ts";

export const workspaceStatsTool = defineTool({
  name: "workspace_stats",
  description: "Count the files under a workspace folder and their total size, largest files first.",
  parameters: z.object({
    path: z.string().default(".").describe("Folder relative to the workspace"),
    top: z.number().int().min(1).max(50).default(5).describe("How many of the largest files to list"),
  }),
  readOnly: true,
  async execute({ path, top }, ctx) {
    const entries = (await ctx.workspace.list(path, { recursive: true, limit: 5000 })).filter((e) => !e.isDirectory);
    if (!entries.length) return `No files under ${path}.`;
    const total = entries.reduce((sum, e) => sum + e.size, 0);
    const largest = [...entries].sort((a, b) => b.size - a.size).slice(0, top);
    return [`${entries.length} file(s), ${total} bytes under ${path}`, ...largest.map((e) => `- ${e.path} (${e.size} bytes)`)].join("\n");
  },
});
