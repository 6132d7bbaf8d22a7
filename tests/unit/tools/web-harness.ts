import { env } from "cloudflare:test";
import { configSchema } from "../../../src/config/schema.ts";
import type { ToolContext, ToolDefinition, ToolResult } from "../../../src/tools/types.ts";
import { freshWorkspace } from "./harness.ts";

/** A tool context whose `tools` config section is `tools` (web tools read nothing else). */
export function webToolContext(tools: Record<string, unknown>): ToolContext {
  return {
    env,
    config: configSchema.parse({ tools }),
    workspace: freshWorkspace("web"),
    sessionKey: "test:web",
    origin: { channel: "test", chatId: "web" },
    signal: new AbortController().signal,
    emit: () => {},
  };
}

export async function runWebTool(tool: ToolDefinition, args: Record<string, unknown>, tools: Record<string, unknown>): Promise<ToolResult> {
  return tool.execute(tool.parameters.strict().parse(args), webToolContext(tools));
}
