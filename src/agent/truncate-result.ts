import type { ToolResult } from "../tools/types.ts";

/** Keeps a tool result within the model's budget: head and tail with a note in between. */
export function truncateToolResult(result: ToolResult, maxChars: number): ToolResult {
  if (typeof result !== "string") return result;
  if (result.length <= maxChars) return result;
  const note = `\n\n… [${result.length - maxChars} characters truncated of ${result.length}; ask for a narrower range] …\n\n`;
  const keep = Math.max(0, maxChars - note.length);
  const head = Math.ceil(keep * 0.7);
  return result.slice(0, head) + note + result.slice(result.length - (keep - head));
}

/** An empty tool result would read as a failure to the model. */
export function normalizeToolResult(name: string, result: ToolResult): ToolResult {
  if (typeof result === "string" && !result.trim()) return `(${name} completed with no output)`;
  if (Array.isArray(result) && result.length === 0) return `(${name} completed with no output)`;
  return result;
}
