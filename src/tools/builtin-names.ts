/**
 * Every tool name the core owns, including ones other features add (exec, web, message, cron). Plugin tools
 * may not take these names; scripts/gen-plugins.ts checks at build time, src/plugins/plugin-tools.ts at start.
 * Plain data with no imports, so the Node build script can read it.
 */
export const BUILTIN_TOOL_NAMES: readonly string[] = [
  "read_file",
  "write_file",
  "edit_file",
  "list_dir",
  "grep",
  "find_files",
  "apply_patch",
  "exec",
  "web_search",
  "web_fetch",
  "message",
  "cron",
  "spawn",
];

/** Prefix reserved for MCP tools. */
export const MCP_TOOL_PREFIX = "mcp_";

/** Why a plugin tool name is refused, or null. */
export function pluginNameProblem(name: string, file: string): string | null {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) return `Plugin ${file}: tool name '${name}' must match [a-zA-Z0-9_-]{1,64}.`;
  if (BUILTIN_TOOL_NAMES.includes(name)) return `Plugin ${file}: tool name '${name}' collides with the built-in tool '${name}'. Rename the plugin tool.`;
  if (name.startsWith(MCP_TOOL_PREFIX)) return `Plugin ${file}: tool name '${name}' uses the prefix '${MCP_TOOL_PREFIX}', which is reserved for MCP servers. Rename the plugin tool.`;
  return null;
}
