import { z } from "zod";
import { ToolError, defineTool, type ToolDefinition } from "../tools/types.ts";
import type { McpConnection, McpListing } from "./mcp-connection.ts";
import { mcpToolName } from "./mcp-names.ts";
import { callResultToToolResult, resourceText } from "./mcp-results.ts";

const anyObject = z.looseObject({});

/** The turn's abort signal and the server's toolTimeout, whichever fires first. */
function callSignal(turn: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([turn, AbortSignal.timeout(ms)]);
}

/** Turns timeouts into the text the model sees; other failures keep their message. */
async function guarded<T>(conn: McpConnection, what: string, turn: AbortSignal, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (turn.aborted) throw err;
    const text = String((err as Error)?.message ?? err);
    if (/timed? ?out|timeout|aborted/i.test(text) || (err as { code?: unknown }).code === -32001) {
      throw new ToolError(`MCP ${what} timed out after ${conn.config.toolTimeout} seconds (tools.mcpServers.${conn.server}.toolTimeout).`);
    }
    throw new ToolError(`MCP server '${conn.server}' failed: ${text}`);
  }
}

/** `enabledTools` entries may use the server's raw names or our wrapped ones; `*` means all. */
function enabledFilter(conn: McpConnection): (raw: string) => boolean {
  const wanted = conn.config.enabledTools;
  if (wanted.includes("*")) return () => true;
  return (raw) => wanted.includes(raw) || wanted.includes(mcpToolName(conn.server, raw));
}

/** Tool definitions for one server's tools (and, when no tool filter is set, its resources and prompts). */
export function mcpToolDefinitions(conn: McpConnection, listing: McpListing): ToolDefinition[] {
  const enabled = enabledFilter(conn);
  const out: ToolDefinition[] = [];
  for (const tool of listing.tools.filter((t) => enabled(t.name))) {
    out.push(
      defineTool({
        name: mcpToolName(conn.server, tool.name),
        description: tool.description || tool.title || `${tool.name} (MCP server ${conn.server})`,
        parameters: anyObject,
        inputSchema: { type: "object", properties: {}, ...(tool.inputSchema as Record<string, unknown>) },
        readOnly: tool.annotations?.readOnlyHint === true,
        async execute(args, ctx) {
          const result = await guarded(conn, `tool '${tool.name}'`, ctx.signal, () =>
            conn.withReconnect((c) => c.callTool({ name: tool.name, arguments: args }, undefined, { timeout: conn.timeoutMs, signal: callSignal(ctx.signal, conn.timeoutMs) })),
          );
          return callResultToToolResult(result as { content?: unknown; structuredContent?: unknown; isError?: boolean });
        },
      }),
    );
  }
  // nanobot: restricting the tools means "only these tools", so resources and prompts are left out too.
  if (!conn.config.enabledTools.includes("*")) return out;
  for (const resource of listing.resources) {
    out.push(
      defineTool({
        name: mcpToolName(conn.server, resource.name, "resource"),
        description: `Read the MCP resource ${resource.uri}${resource.description ? `: ${resource.description}` : ""}`,
        parameters: z.object({}),
        readOnly: true,
        async execute(_args, ctx) {
          const result = await guarded(conn, `resource '${resource.uri}'`, ctx.signal, () =>
            conn.withReconnect((c) => c.readResource({ uri: resource.uri }, { timeout: conn.timeoutMs, signal: callSignal(ctx.signal, conn.timeoutMs) })),
          );
          return resourceText(result.contents as Array<{ uri: string; text?: string }>) || "(empty resource)";
        },
      }),
    );
  }
  for (const prompt of listing.prompts) {
    const shape: Record<string, z.ZodType> = {};
    for (const arg of prompt.arguments ?? []) {
      const field = z.string().describe(arg.description ?? arg.name);
      shape[arg.name] = arg.required ? field : field.optional();
    }
    out.push(
      defineTool({
        name: mcpToolName(conn.server, prompt.name, "prompt"),
        description: `Get the MCP prompt '${prompt.name}'${prompt.description ? `: ${prompt.description}` : ""}`,
        parameters: z.object(shape),
        readOnly: true,
        async execute(args, ctx) {
          const result = await guarded(conn, `prompt '${prompt.name}'`, ctx.signal, () =>
            conn.withReconnect((c) =>
              c.getPrompt({ name: prompt.name, arguments: args as Record<string, string> }, { timeout: conn.timeoutMs, signal: callSignal(ctx.signal, conn.timeoutMs) }),
            ),
          );
          return result.messages
            .map((m) => `[${m.role}] ${m.content.type === "text" ? m.content.text : `[${m.content.type} content]`}`)
            .join("\n\n");
        },
      }),
    );
  }
  return out;
}
