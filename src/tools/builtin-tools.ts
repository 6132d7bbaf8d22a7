import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { editFileTool } from "./edit-file.ts";
import { execTool } from "./exec.ts";
import { listDirTool } from "./list-dir.ts";
import { messageTool } from "./message.ts";
import { readFileTool } from "./read-file.ts";
import { ToolRegistry } from "./registry.ts";
import type { ToolDefinition } from "./types.ts";
import { webFetchTool } from "./web-fetch.ts";
import { webSearchTool } from "./web-search.ts";
import { writeFileTool } from "./write-file.ts";

/** Built-in tools in the order the model sees them; each entry is enabled by its config switch. */
export function builtinTools(config: Config, _env: Env): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (config.tools.file.enable) tools.push(readFileTool, writeFileTool, editFileTool, listDirTool);
  if (config.tools.exec.enable) tools.push(execTool);
  if (config.tools.web.enable) tools.push(webSearchTool, webFetchTool);
  tools.push(messageTool);
  return tools;
}

/** The registry a turn uses. Built per turn: cheap, and config may differ between turns. */
export function buildToolRegistry(config: Config, env: Env): ToolRegistry {
  return new ToolRegistry(builtinTools(config, env));
}
