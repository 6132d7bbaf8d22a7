import type { ToolResult } from "../tools/types.ts";
import type { Workspace } from "../workspace/workspace.ts";

/** Where oversized tool results go (nanobot's location), one folder per session. */
export const TOOL_RESULTS_DIR = ".nanobot/tool-results";
/** How much of a saved result the model sees inline (nanobot's figure). */
export const PREVIEW_CHARS = 1200;
/** Saved results kept per session (nanobot keeps 32 buckets); older ones are deleted when a new one is saved. */
export const MAX_SAVED_RESULTS = 32;
/** read_file pages on its own; saving its output would only make the model read a copy of the file. */
const NOT_SAVED = new Set(["read_file"]);

/** Keeps a tool result within the model's budget: head and tail with a note in between. */
export function truncateToolResult(result: ToolResult, maxChars: number): ToolResult {
  if (typeof result !== "string") return result;
  if (result.length <= maxChars) return result;
  const note = `\n\n… [${result.length - maxChars} characters truncated of ${result.length}; ask for a narrower range] …\n\n`;
  const keep = Math.max(0, maxChars - note.length);
  const head = Math.ceil(keep * 0.7);
  return result.slice(0, head) + note + result.slice(result.length - (keep - head));
}

const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "default";

export interface OversizeContext {
  workspace: Workspace;
  sessionKey: string;
  toolName: string;
  callId: string;
  maxChars: number;
}

/**
 * A result longer than `maxChars` is saved whole to `.nanobot/tool-results/<session>/<call id>.txt` and the model
 * gets the path plus a preview, so read_file (or grep) can reach the rest. If saving fails, the result is cut.
 */
export async function fitToolResult(result: ToolResult, ctx: OversizeContext): Promise<ToolResult> {
  // Text-only parts are text too (nanobot joins them); parts with images are left to the provider.
  const text = typeof result === "string" ? result : result.every((p) => p.type === "text") ? result.map((p) => p.text).join("\n") : null;
  if (text === null || text.length <= ctx.maxChars) return result;
  if (NOT_SAVED.has(ctx.toolName)) return truncateToolResult(text, ctx.maxChars);
  const path = `${TOOL_RESULTS_DIR}/${safeName(ctx.sessionKey)}/${safeName(ctx.callId)}.txt`;
  try {
    await ctx.workspace.writeFile(path, text, "text/plain; charset=utf-8");
    await pruneSaved(ctx.workspace, path.slice(0, path.lastIndexOf("/")));
  } catch (err) {
    console.log(JSON.stringify({ event: "tool_result_save_failed", tool: ctx.toolName, error: String(err) }));
    return truncateToolResult(text, ctx.maxChars);
  }
  const more = text.length > PREVIEW_CHARS ? "\n...\n(Read the saved file with read_file (offset/limit) or grep it for the full output.)" : "";
  const reference =
    `[tool output persisted]\nFull output saved to: ${path}\nOriginal size: ${text.length} chars\n` +
    `Preview:\n${text.slice(0, PREVIEW_CHARS)}${more}`;
  return truncateToolResult(reference, ctx.maxChars);
}

/** R2 has no per-folder expiry (lifecycle rules match key prefixes only), so the session folder is capped here. */
async function pruneSaved(workspace: Workspace, dir: string): Promise<void> {
  const saved = (await workspace.list(dir)).filter((e) => !e.isDirectory);
  if (saved.length <= MAX_SAVED_RESULTS) return;
  saved.sort((a, b) => (b.uploaded?.getTime() ?? 0) - (a.uploaded?.getTime() ?? 0) || (a.path < b.path ? 1 : -1));
  await Promise.all(saved.slice(MAX_SAVED_RESULTS).map((e) => workspace.deleteFile(e.path)));
}

/** An empty tool result would read as a failure to the model. */
export function normalizeToolResult(name: string, result: ToolResult): ToolResult {
  if (typeof result === "string" && !result.trim()) return `(${name} completed with no output)`;
  if (Array.isArray(result) && result.length === 0) return `(${name} completed with no output)`;
  return result;
}
