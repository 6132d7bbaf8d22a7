import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDotenv } from "../../cli/project.ts";
import { configSchema } from "../../src/config/schema.ts";
import { runCli } from "../support/run-cli.ts";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempProject(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-onboard-"));
  temps.push(dir);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "nanobot-edge", private: true }));
  return dir;
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), "utf8");

/** Replaces `${VAR}` like the Worker does, failing on any variable .dev.vars does not define. */
function resolveVars(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`config refers to \${${name}}, which .dev.vars does not define`);
    return JSON.stringify(vars[name]).slice(1, -1);
  });
}

describe("npx nanobot onboard", () => {
  it("should write a valid config that refers to secrets only through variables .dev.vars defines, asking nothing without a TTY", async () => {
    const dir = tempProject();
    const result = await runCli(["onboard", "--provider", "openrouter", "--model", "anthropic/claude-sonnet-4.5", "--provider-key", "sk-or-123"], { cwd: dir, stdin: "" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const configText = read(dir, "nanobot.config.json");
    expect(configText).not.toContain("sk-or-123");
    const vars = parseDotenv(read(dir, ".dev.vars"));
    expect(vars.NANOBOT_API_KEY).toMatch(/^nb-[A-Za-z0-9_-]{32}$/);
    expect(vars.TELEGRAM_WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(vars.OPENROUTER_API_KEY).toBe("sk-or-123");
    const config = configSchema.parse(JSON.parse(resolveVars(configText, vars)));
    expect(config.api.apiKey).toBe(vars.NANOBOT_API_KEY);
    expect(config.agents.defaults.provider).toBe("openrouter");
    expect(config.providers.openrouter.apiKey).toBe("sk-or-123");
    expect(statSync(path.join(dir, ".dev.vars")).mode & 0o077).toBe(0);
  });

  it("should default to a local provider that needs no key", async () => {
    const dir = tempProject();
    const result = await runCli(["onboard"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(0);
    const vars = parseDotenv(read(dir, ".dev.vars"));
    const config = configSchema.parse(JSON.parse(resolveVars(read(dir, "nanobot.config.json"), vars)));
    expect(config.agents.defaults.provider).toBe("ollama");
    expect(config.providers.ollama.apiBase).toBe("http://127.0.0.1:11434/v1");
  });

  it("should never overwrite existing files without --force", async () => {
    const dir = tempProject();
    writeFileSync(path.join(dir, "nanobot.config.json"), '{"agents":{"defaults":{"model":"mine"}}}\n');
    writeFileSync(path.join(dir, ".dev.vars"), "NANOBOT_API_KEY=keep-me\n");
    const result = await runCli(["onboard"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("already exist");
    expect(result.stderr).toContain("--force");
    expect(read(dir, "nanobot.config.json")).toBe('{"agents":{"defaults":{"model":"mine"}}}\n');
    expect(read(dir, ".dev.vars")).toBe("NANOBOT_API_KEY=keep-me\n");
  });

  it("should replace the files with --force, keeping other variables in .dev.vars", async () => {
    const dir = tempProject();
    writeFileSync(path.join(dir, "nanobot.config.json"), '{"agents":{"defaults":{"model":"mine"}}}\n');
    writeFileSync(path.join(dir, ".dev.vars"), "NANOBOT_API_KEY=old\nMY_TOKEN=keep-me\n");
    const result = await runCli(["onboard", "--force"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(0);
    const vars = parseDotenv(read(dir, ".dev.vars"));
    expect(vars.MY_TOKEN).toBe("keep-me");
    expect(vars.NANOBOT_API_KEY).not.toBe("old");
    expect(JSON.parse(read(dir, "nanobot.config.json")).agents.defaults.model).toBe("llama3.2");
  });

  it("should replace the empty {} config that npm start creates on a fresh clone", async () => {
    const dir = tempProject();
    writeFileSync(path.join(dir, "nanobot.config.json"), "{}\n");
    const result = await runCli(["onboard"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(0);
    expect(JSON.parse(read(dir, "nanobot.config.json")).api.apiKey).toBe("${NANOBOT_API_KEY}");
    expect(existsSync(path.join(dir, ".dev.vars"))).toBe(true);
  });

  it("should refuse to run outside a nanobot-edge project", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-elsewhere-"));
    temps.push(dir);
    const result = await runCli(["onboard"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("inside the nanobot-edge project folder");
    expect(existsSync(path.join(dir, "nanobot.config.json"))).toBe(false);
  });
});
