import { env } from "cloudflare:test";
import { configSchema } from "../../../src/config/schema.ts";
import { ToolError, type ToolContext, type ToolDefinition, type ToolEvent, type ToolResult } from "../../../src/tools/types.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";
import type { Workspace } from "../../../src/workspace/workspace.ts";

/** R2 storage is not reset between tests: every test gets its own workspace id. */
export function freshWorkspace(label = "ws"): Workspace {
  return createWorkspace(env.WORKSPACE, `test-${label}-${crypto.randomUUID()}`);
}

export function toolContext(workspace: Workspace, events: ToolEvent[] = []): ToolContext {
  return {
    env,
    config: configSchema.parse({}),
    workspace,
    sessionKey: "test:1",
    origin: { channel: "test", chatId: "1" },
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
  };
}

/**
 * Calls a tool the way the executor does: arguments validated by the tool's own zod schema, a thrown ToolError
 * becomes the `Error: <message>` text the model sees.
 */
export async function runTool(tool: ToolDefinition, args: Record<string, unknown>, workspace: Workspace): Promise<ToolResult> {
  const parsed = tool.parameters.strict().parse(args);
  try {
    return await tool.execute(parsed, toolContext(workspace));
  } catch (err) {
    if (err instanceof ToolError) return `Error: ${err.message}`;
    throw err;
  }
}

/** Same as runTool for tools that answer in text. */
export async function runText(tool: ToolDefinition, args: Record<string, unknown>, workspace: Workspace): Promise<string> {
  const result = await runTool(tool, args, workspace);
  if (typeof result !== "string") throw new Error(`expected text from ${tool.name}, got parts`);
  return result;
}
