import type { Workspace } from "./workspace.ts";

/**
 * Files a new workspace starts with. Kept short on purpose: they go into every system prompt, and the whole
 * prompt for "hello" (identity + these + tool schemas) must stay under 11 KB.
 */
export const WORKSPACE_TEMPLATES: Readonly<Record<string, string>> = {
  "AGENTS.md": `# Agent Instructions

- Be concise and accurate; ask when a request is ambiguous.
- Keep your files in the workspace. Save lasting facts about the user in memory/MEMORY.md.
- Use the cron tool for reminders; list recurring checks in HEARTBEAT.md.
`,
  "SOUL.md": `# Soul

I am nanobot 🐈, a lightweight personal AI assistant: friendly, direct, curious,
honest about what I don't know, and respectful of the user's time and privacy.
`,
  "USER.md": `# User

Facts about the user (name, timezone, language, preferences). Update as you learn them.
`,
  "HEARTBEAT.md": `# Heartbeat Tasks

Checked every 30 minutes. Add recurring tasks as bullets under Active Tasks; remove them when done.

## Active Tasks

`,
  "memory/MEMORY.md": `# Long-term Memory

Important facts worth remembering across conversations.
`,
};

/** True when `content` is still the untouched template for `path` (such files add nothing to the prompt). */
export function isTemplateContent(path: string, content: string): boolean {
  const template = WORKSPACE_TEMPLATES[path];
  return template !== undefined && template.trim() === content.trim();
}

/** Written after seeding; bump the version to seed templates added later (existing files are still kept). */
export const SEED_MARKER = ".nanobot/seeded-v1";

// Per isolate: once a workspace is known to be seeded, later turns skip even the marker HEAD.
const seededInIsolate = new Set<string>();

/**
 * Creates the template files that are missing, once per workspace. Never overwrites a file. On the hot path
 * this costs one R2 HEAD per isolate and workspace (the marker), and nothing after that.
 */
export async function ensureWorkspaceSeeded(workspace: Workspace): Promise<{ seeded: string[] }> {
  if (seededInIsolate.has(workspace.id)) return { seeded: [] };
  if (await workspace.exists(SEED_MARKER)) {
    seededInIsolate.add(workspace.id);
    return { seeded: [] };
  }
  const paths = Object.keys(WORKSPACE_TEMPLATES);
  const present = await Promise.all(paths.map((p) => workspace.exists(p)));
  const missing = paths.filter((_, i) => !present[i]);
  await Promise.all(missing.map((p) => workspace.writeFile(p, WORKSPACE_TEMPLATES[p])));
  await workspace.writeFile(SEED_MARKER, new Date().toISOString());
  seededInIsolate.add(workspace.id);
  if (missing.length) console.log(JSON.stringify({ event: "workspace_seeded", workspace: workspace.id, files: missing }));
  return { seeded: missing };
}

/** Forgets that a deleted workspace was seeded (scratch workspaces would otherwise pile up in this set). */
export function forgetSeeded(workspaceId: string): void {
  seededInIsolate.delete(workspaceId);
}
