import type { Config } from "../config/schema.ts";
import { subagentProfileSchema, type SubagentProfile } from "../config/sections/subagents.ts";
import { ToolError } from "../tools/types.ts";

/** Tools a subagent never gets, whatever its profile says: it reports through its result only. */
export const SUBAGENT_EXCLUDED_TOOLS = ["spawn", "message", "cron"];

const BUILT_IN_DEFAULT = subagentProfileSchema.parse({});

export function profileNames(config: Config): string[] {
  return [...new Set(["default", ...Object.keys(config.subagentProfiles)])];
}

export function resolveProfile(config: Config, name = "default"): SubagentProfile {
  const profile = config.subagentProfiles[name] ?? (name === "default" ? BUILT_IN_DEFAULT : undefined);
  if (!profile) throw new ToolError(`Unknown subagent profile '${name}'. Available: ${profileNames(config).join(", ")}.`);
  if (profile.model && !config.modelPresets[profile.model]) {
    throw new ToolError(`Subagent profile '${name}' names model preset '${profile.model}', which is not in modelPresets.`);
  }
  return profile;
}
