import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildSystemPrompt } from "../../../src/agent/context-builder.ts";
import { turnExtraSections } from "../../../src/agent/extra-sections.ts";
import { configSchema } from "../../../src/config/schema.ts";
import { parseSkillFile } from "../../../src/skills/frontmatter.ts";
import { loadSkills } from "../../../src/skills/skills-loader.ts";
import { skillSections } from "../../../src/skills/skills-prompt.ts";
import { buildToolRegistry } from "../../../src/tools/builtin-tools.ts";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { isTemplateContent } from "../../../src/workspace/templates.ts";
import { freshWorkspace, runText } from "../tools/harness.ts";

const skillFile = (front: string, body = "Do the thing.") => `---\n${front}\n---\n# Title\n\n${body}\n`;

describe("SKILL.md frontmatter", () => {
  it("should read scalars, inline and block lists and nested maps", () => {
    const { data, body } = parseSkillFile(
      skillFile('name: deploy\ndescription: "Ship it: safely"\nalways: true\nrequires:\n  env: [API_TOKEN, OTHER]\n  tools:\n    - exec\n    - web_fetch\nversion: 2'),
    );
    expect(data).toEqual({ name: "deploy", description: "Ship it: safely", always: true, requires: { env: ["API_TOKEN", "OTHER"], tools: ["exec", "web_fetch"] }, version: 2 });
    expect(body).toBe("# Title\n\nDo the thing.\n");
  });

  it("should treat a file without frontmatter as all body", () => {
    expect(parseSkillFile("# Just text")).toEqual({ data: {}, body: "# Just text" });
  });
});

describe("skills in the system prompt", () => {
  it("should inline always skills, list the others with their path, leave disabled ones out and mark missing requirements", async () => {
    const ws = freshWorkspace("skills");
    await ws.writeFile("skills/house-rules/SKILL.md", skillFile("name: house-rules\ndescription: Rules\nalways: true", "Always answer in haiku."));
    await ws.writeFile("skills/secret-api/SKILL.md", skillFile("name: secret-api\ndescription: Calls the secret API\nrequires:\n  env: [SECRET_API_TOKEN_MISSING]"));
    await ws.writeFile("skills/unwanted/SKILL.md", skillFile("name: unwanted\ndescription: Should never show"));
    const config = configSchema.parse({ agents: { defaults: { disabledSkills: ["unwanted", "github"] } } });
    const skills = await loadSkills({ config, env, workspace: ws, toolNames: ["read_file", "web_fetch"] });
    const prompt = skillSections(skills).join("\n\n");

    expect(prompt).toContain("# Active Skills");
    expect(prompt).toContain("Always answer in haiku.");
    expect(prompt).toContain("- **secret-api** — Calls the secret API (unavailable: ENV: SECRET_API_TOKEN_MISSING) `skills/secret-api/SKILL.md`");
    expect(prompt).toContain("- **weather** — ");
    expect(prompt).toContain("- **cron** — Reminders and recurring tasks with the cron tool (one-off, every N seconds, cron expressions with time zones). (unavailable: tool: cron)");
    expect(prompt).not.toContain("unwanted");
    expect(prompt).not.toContain("**github**");
  });

  it("should let a workspace skill replace a bundled one of the same name", async () => {
    const ws = freshWorkspace("override");
    await ws.writeFile("skills/weather/SKILL.md", skillFile("name: weather\ndescription: Our own weather station"));
    const skills = await loadSkills({ config: configSchema.parse({}), env, workspace: ws, toolNames: [] });
    const weather = skills.filter((s) => s.name === "weather");
    expect(weather).toHaveLength(1);
    expect(weather[0]).toMatchObject({ source: "workspace", description: "Our own weather station" });
  });

  it("should let read_file open bundled skills by their skills/<name>/SKILL.md path", async () => {
    const ws = freshWorkspace("bundled");
    const text = await runText(readFileTool, { path: "skills/weather/SKILL.md" }, ws);
    expect(text).toContain("open-meteo.com");
    expect(await runText(readFileTool, { path: "skills/nope/SKILL.md" }, ws)).toMatch(/^Error: File not found/);
  });

  // 8 KB before grep, find_files and apply_patch (about 2 KB of schemas), then the message tool's media and buttons.
  it("should keep a default 'hello' request (system prompt, message and tool schemas) under 11 KB", async () => {
    const ws = freshWorkspace("weight");
    const config = configSchema.parse({});
    const tools = await buildToolRegistry(config, env);
    const extraSections = await turnExtraSections({ config, env, workspace: ws, toolNames: tools.names() });
    const system = await buildSystemPrompt({ config, workspace: ws, channel: "telegram", isTemplate: isTemplateContent, extraSections });
    const bytes = new TextEncoder().encode(JSON.stringify([{ role: "system", content: system }, { role: "user", content: "hello" }]) + JSON.stringify(tools.schemas())).length;
    console.log(JSON.stringify({ event: "prompt_weight", bytes, systemChars: system.length, tools: tools.size }));
    expect(bytes).toBeLessThan(11 * 1024);
  });
});
