import type { Config } from "../config/schema.ts";
import type { SubagentProfile } from "../config/sections/subagents.ts";
import type { Env } from "../env.ts";
import { loadSkills } from "../skills/skills-loader.ts";
import { skillSections } from "../skills/skills-prompt.ts";
import { subagentSection } from "../subagents/subagent-prompt.ts";
import type { SubagentTask } from "../subagents/types.ts";
import type { Workspace } from "../workspace/workspace.ts";

export interface ExtraSectionsInput {
  config: Config;
  env: Env;
  workspace: Workspace;
  /** Tools of this turn: skills needing others are marked unavailable. */
  toolNames: string[];
  subagent?: { task: SubagentTask; profile: SubagentProfile };
}

/** The system prompt's feature sections (skills; the subagent brief) for buildSystemPrompt's extraSections. */
export async function turnExtraSections(input: ExtraSectionsInput): Promise<string[]> {
  let skills = await loadSkills({ config: input.config, env: input.env, workspace: input.workspace, toolNames: input.toolNames });
  const allowed = input.subagent?.profile.skills;
  if (allowed) skills = skills.filter((s) => allowed.includes(s.name));
  const sections = skillSections(skills);
  if (input.subagent) sections.unshift(subagentSection(input.subagent.task));
  return sections;
}
