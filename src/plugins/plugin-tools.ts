import { pluginNameProblem } from "../tools/builtin-names.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { pluginModules } from "./index.generated.ts";

export interface PluginModule {
  file: string;
  module: Record<string, unknown>;
}

const looksLikeTool = (value: unknown): value is ToolDefinition =>
  !!value &&
  typeof value === "object" &&
  typeof (value as ToolDefinition).name === "string" &&
  typeof (value as ToolDefinition).execute === "function" &&
  typeof (value as ToolDefinition).parameters?.safeParse === "function";

/**
 * The tool definitions exported by plugin files (default export and named exports). Collisions are refused
 * with the sentence the build script prints, in case the generated index was written by hand.
 */
export function collectPluginTools(modules: readonly PluginModule[]): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  const seen = new Map<string, string>();
  for (const { file, module } of modules) {
    for (const value of new Set(Object.values(module))) {
      if (!looksLikeTool(value)) continue;
      const problem = pluginNameProblem(value.name, file);
      if (problem) throw new Error(problem);
      const other = seen.get(value.name);
      if (other) throw new Error(`Plugins ${other} and ${file} both define a tool named '${value.name}'. Rename one of them.`);
      seen.set(value.name, file);
      tools.push(value);
    }
  }
  return tools;
}

let cached: ToolDefinition[] | null = null;

/** Plugin tools registered by the build (src/plugins/index.generated.ts). */
export function pluginTools(): ToolDefinition[] {
  cached ??= collectPluginTools(pluginModules);
  return cached;
}
