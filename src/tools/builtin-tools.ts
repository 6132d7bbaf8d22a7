import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { McpPool } from "../mcp/mcp-pool.ts";
import { pluginTools } from "../plugins/plugin-tools.ts";
import { applyPatchTool } from "./apply-patch.ts";
import { cronTool } from "./cron.ts";
import { editFileTool } from "./edit-file.ts";
import { execToolFor } from "./exec/exec-tool.ts";
import { findFilesTool } from "./find-files.ts";
import { generateImageTool } from "./generate-image.ts";
import { grepTool } from "./grep.ts";
import { listDirTool } from "./list-dir.ts";
import { messageTool } from "./message.ts";
import { readFileTool } from "./read-file.ts";
import { ToolRegistry } from "./registry.ts";
import { spawnTool } from "./spawn.ts";
import type { ToolDefinition } from "./types.ts";
import { webFetchTool } from "./web-fetch/web-fetch-tool.ts";
import { webSearchTool } from "./web-search/web-search-tool.ts";
import { writeFileTool } from "./write-file.ts";

/** Built-in tools in the order the model sees them; each entry is enabled by its config switch. */
export function builtinTools(config: Config, _env: Env): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (config.tools.file.enable) tools.push(readFileTool, writeFileTool, editFileTool, listDirTool, findFilesTool, grepTool, applyPatchTool);
  if (config.tools.exec.enable) tools.push(execToolFor(config));
  if (config.tools.web.enable) tools.push(webSearchTool, webFetchTool);
  tools.push(spawnTool);
  tools.push(cronTool);
  tools.push(messageTool);
  if (config.tools.imageGeneration.enabled) tools.push(generateImageTool);
  return tools;
}

export interface ToolRegistryOptions {
  /** The session's MCP connections; without one, MCP servers are not offered. */
  mcp?: McpPool;
  /** The turn's workspace: stdio MCP servers run in its sandbox (its container instance under isolation "user"). */
  workspaceId?: string;
  /** Subagent profiles: only tools whose names match (`*` suffix = prefix match, e.g. `mcp_*`). */
  only?: readonly string[];
  /** Never offered (subagents never get spawn, message or cron). */
  exclude?: readonly string[];
}

const matches = (name: string, pattern: string) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern);

/** The registry a turn uses. Built per turn: cheap (MCP listings are cached per server), and config may differ between turns. */
export async function buildToolRegistry(config: Config, env: Env, options: ToolRegistryOptions = {}): Promise<ToolRegistry> {
  const registry = new ToolRegistry([...builtinTools(config, env), ...pluginTools()]);
  for (const tool of options.mcp ? await options.mcp.tools(config, env, options.workspaceId) : []) {
    if (registry.get(tool.name)) console.log(JSON.stringify({ event: "mcp_tool_name_taken", tool: tool.name }));
    else registry.register(tool);
  }
  if (!options.only && !options.exclude?.length) return registry;
  const kept = registry
    .names()
    .filter((n) => !options.exclude?.includes(n))
    .filter((n) => !options.only || options.only.some((p) => matches(n, p)));
  return new ToolRegistry(kept.map((n) => registry.get(n)!));
}
