import type { Skill } from "./skills-loader.ts";

/**
 * Prompt sections for skills: `always` skills that are usable appear in full ("# Active Skills"); all others
 * as one line each ("# Skills") that the model expands with read_file when a task calls for it, which keeps
 * a "hello" cheap (nanobot issue #1332: 5–10k tokens for a greeting).
 */
export function skillSections(skills: Skill[]): string[] {
  const active = skills.filter((s) => s.always && !s.missing.length);
  const listed = skills.filter((s) => !active.includes(s));
  const sections: string[] = [];
  if (active.length) sections.push(["# Active Skills", ...active.map((s) => `## ${s.name}\n\n${s.body}`)].join("\n\n"));
  if (listed.length) {
    const line = (s: Skill) =>
      `- **${s.name}** — ${s.description || "(no description)"}${s.missing.length ? ` (unavailable: ${s.missing.join(", ")})` : ""} \`${s.path}\``;
    sections.push(
      [
        "# Skills",
        "Read a skill's file with read_file before using it. Unavailable skills need what is listed first.",
        ...listed.map(line),
      ].join("\n"),
    );
  }
  return sections;
}
