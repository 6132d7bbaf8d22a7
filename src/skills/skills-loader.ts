import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { listPromptDir, readPromptFile } from "../workspace/prompt-file-cache.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { BUNDLED_SKILLS } from "./bundled/index.ts";
import { parseSkillFile, type FrontmatterValue } from "./frontmatter.ts";

export interface Skill {
  name: string;
  description: string;
  always: boolean;
  source: "workspace" | "builtin";
  /** Where read_file finds it (bundled skills too: read_file falls back to them). */
  path: string;
  body: string;
  /** Empty when usable; else what is missing, e.g. `ENV: GITHUB_TOKEN`, `tool: cron`. */
  missing: string[];
}

const skillPath = (name: string) => `skills/${name}/SKILL.md`;
const asList = (v: FrontmatterValue | undefined): string[] => (Array.isArray(v) ? v : typeof v === "string" && v ? [v] : []);

/** The bundled SKILL.md behind a `skills/<name>/SKILL.md` path, for read_file's fallback. */
export function bundledSkillFile(path: string): string | null {
  const match = /^(?:\.\/)?skills\/([A-Za-z0-9_-]+)\/SKILL\.md$/.exec(path.trim());
  return match ? (BUNDLED_SKILLS[match[1]] ?? null) : null;
}

function toSkill(name: string, text: string, source: Skill["source"], env: Env, toolNames: ReadonlySet<string>): Skill {
  const { data, body } = parseSkillFile(text);
  const requires = (typeof data.requires === "object" && !Array.isArray(data.requires) ? data.requires : {}) as Record<string, FrontmatterValue>;
  const missing = [
    ...asList(requires.env).filter((v) => typeof env[v] !== "string" || !env[v]).map((v) => `ENV: ${v}`),
    ...asList(requires.tools).filter((t) => !toolNames.has(t)).map((t) => `tool: ${t}`),
  ];
  return {
    name: typeof data.name === "string" && data.name ? data.name : name,
    description: typeof data.description === "string" ? data.description : "",
    always: data.always === true,
    source,
    path: skillPath(name),
    body: body.trim(),
    missing,
  };
}

/**
 * Workspace skills (`skills/<name>/SKILL.md` in R2) and bundled ones; a workspace skill replaces a bundled
 * skill of the same name. `disabledSkills` are left out entirely.
 */
export async function loadSkills(input: { config: Config; env: Env; workspace: Workspace; toolNames: Iterable<string> }): Promise<Skill[]> {
  const disabled = new Set(input.config.agents.defaults.disabledSkills);
  const tools = new Set(input.toolNames);
  // Listing and files come through the prompt cache: without it every turn paid an R2 list plus one read per skill.
  const dirs = await listPromptDir(input.workspace, "skills").catch(() => []);
  const names = dirs.filter((e) => e.isDirectory).map((e) => e.path.replace(/\/$/, "").split("/").pop()!);
  const workspaceSkills = await Promise.all(
    names
      .filter((n) => !disabled.has(n))
      .map(async (n) => {
        const text = await readPromptFile(input.workspace, skillPath(n)).catch(() => null);
        return text === null ? null : toSkill(n, text, "workspace", input.env, tools);
      }),
  );
  const skills = workspaceSkills.filter((s): s is Skill => s !== null);
  const taken = new Set(skills.map((s) => s.name));
  for (const [name, text] of Object.entries(BUNDLED_SKILLS)) {
    if (!disabled.has(name) && !taken.has(name)) skills.push(toSkill(name, text, "builtin", input.env, tools));
  }
  return skills;
}
