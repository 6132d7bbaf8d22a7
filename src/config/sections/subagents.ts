import { z } from "zod";

/** What nanobot gives a subagent: file, shell and web tools, never spawn/message/cron. */
export const DEFAULT_SUBAGENT_TOOLS = ["read_file", "write_file", "edit_file", "list_dir", "find_files", "grep", "apply_patch", "exec", "web_search", "web_fetch"];

/** `subagentProfiles.<name>`: what a subagent started with `spawn(profile=<name>)` may use. */
export const subagentProfileSchema = z.strictObject({
  description: z.string().default(""),
  /** Tool names the subagent sees; `mcp_*` style prefixes allowed. spawn, message and cron are never offered. */
  tools: z.array(z.string()).default(DEFAULT_SUBAGENT_TOOLS),
  /** Skills listed in its prompt; null = all available skills. */
  skills: z.array(z.string()).nullable().default(null),
  /** A `modelPresets` name; null = the parent's model. */
  model: z.string().nullable().default(null),
  maxIterations: z.number().int().positive().default(15),
  /** Seconds `spawn(wait=true)` waits before it cancels the subagent. */
  timeoutS: z.number().positive().default(300),
});

/** Profiles by name; `default` (built in unless configured) is used when spawn names none. */
export const subagentProfilesSchema = z.record(z.string(), subagentProfileSchema).default({});

export type SubagentProfile = z.infer<typeof subagentProfileSchema>;
