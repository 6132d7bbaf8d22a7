import type { ContentPart } from "../providers/types.ts";
import type { ToolResult } from "../tools/types.ts";

type McpContent =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "audio"; mimeType: string }
  | { type: "resource"; resource: { uri: string; text?: string; blob?: string; mimeType?: string } }
  | { type: "resource_link"; uri: string; name?: string }
  | { type: string; [key: string]: unknown };

/** An MCP resource's contents as text for the model. */
export function resourceText(contents: Array<{ uri: string; text?: string; blob?: string; mimeType?: string }>): string {
  return contents
    .map((c) => (typeof c.text === "string" ? c.text : `[binary resource ${c.uri}${c.mimeType ? `, ${c.mimeType}` : ""}, ${c.blob?.length ?? 0} base64 chars]`))
    .join("\n\n");
}

function partOf(item: McpContent): ContentPart {
  switch (item.type) {
    case "text":
      return { type: "text", text: String((item as { text: string }).text) };
    case "image": {
      const image = item as { data: string; mimeType: string };
      return { type: "image", mimeType: image.mimeType, data: image.data };
    }
    case "resource":
      return { type: "text", text: resourceText([(item as { resource: { uri: string; text?: string } }).resource]) };
    case "resource_link":
      return { type: "text", text: `[resource: ${(item as { uri: string }).uri}]` };
    default:
      return { type: "text", text: `[${item.type} content omitted]` };
  }
}

/**
 * A `tools/call` result as a tool result. `isError` results become `Error: …` text so the model and the
 * hooks see a failed call (nanobot issue #5237: errors that looked like answers).
 */
export function callResultToToolResult(result: { content?: unknown; structuredContent?: unknown; isError?: boolean }): ToolResult {
  const parts = ((result.content as McpContent[] | undefined) ?? []).map(partOf);
  const text = parts.filter((p): p is { type: "text"; text: string } => p.type === "text").map((p) => p.text).join("\n");
  if (result.isError) return `Error: ${text || "the MCP tool reported an error without details"}`;
  const structured = result.structuredContent === undefined ? "" : JSON.stringify(result.structuredContent);
  if (parts.some((p) => p.type === "image")) return parts;
  return text || structured || "(no output)";
}
