import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDotenv } from "../../cli/project.ts";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { runCli } from "../support/run-cli.ts";
import { makeProjectFolder } from "../support/project-folder.ts";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempProject = (files: Record<string, string> = {}) => makeProjectFolder(temps, files, "nanobot-onboard-");

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), "utf8");
const vars = (dir: string) => parseDotenv(read(dir, ".dev.vars"));

/** The written files as the Worker sees them: resolveConfig over nanobot.config.json with .dev.vars as its env. */
function resolved(dir: string) {
  const result = resolveConfig({ name: "nanobot.config.json", text: read(dir, "nanobot.config.json") }, undefined, vars(dir));
  if (!result.ok) throw new Error(`the written config does not validate: ${result.error.message}`);
  return result.config;
}

const onboard = (dir: string, ...args: string[]) => runCli(["onboard", "--dir", dir, ...args], { stdin: "" });

describe("npx nanobot onboard without a terminal", () => {
  it("should change nothing without --yes and name the flags to pass", async () => {
    const dir = tempProject({ ".dev.vars": "NANOBOT_API_KEY=keep-me\n" });
    const result = await onboard(dir, "--provider", "openrouter", "--provider-key", "sk-or-1");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    for (const flag of ["--yes", "--provider NAME", "--model ID", "--api-base URL", "--api-key-env VAR", "--telegram-token T", "--slack-bot-token T", "--slack-signing-secret S", "--no-exec", "--force", "--rotate-secrets"]) {
      expect(result.stderr).toContain(flag);
    }
    expect(result.stderr).toContain("Example: npx nanobot onboard --yes --provider");
    expect(result.stderr).toContain("nothing was changed");
    expect(existsSync(path.join(dir, "nanobot.config.json"))).toBe(false);
    expect(read(dir, ".dev.vars")).toBe("NANOBOT_API_KEY=keep-me\n");
  });

  it("should write a config that validates against .dev.vars, with secrets only as variables, given --yes and the provider flags", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--provider", "openrouter", "--model", "anthropic/claude-sonnet-4.5", "--provider-key", "sk-or-123");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(read(dir, "nanobot.config.json")).not.toContain("sk-or-123");
    const v = vars(dir);
    expect(v.NANOBOT_API_KEY).toMatch(/^nb-[A-Za-z0-9_-]{32}$/);
    expect(v.TELEGRAM_WEBHOOK_SECRET).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(v.OPENROUTER_API_KEY).toBe("sk-or-123");
    const config = resolved(dir);
    expect(config.api.apiKey).toBe(v.NANOBOT_API_KEY);
    expect(config.agents.defaults).toMatchObject({ provider: "openrouter", model: "anthropic/claude-sonnet-4.5" });
    expect(config.providers.openrouter.apiKey).toBe("sk-or-123");
    expect(config.channels.telegram.enabled).toBe(false);
    expect(config.tools.exec.enable).toBe(true);
    expect(statSync(path.join(dir, ".dev.vars")).mode & 0o077).toBe(0);
  });

  it("should print variable names and the next steps, never a secret's value", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--provider", "openrouter", "--provider-key", "sk-or-secret", "--telegram-token", "123456:tg-secret-token");
    expect(result.code).toBe(0);
    const v = vars(dir);
    for (const value of [v.NANOBOT_API_KEY, v.TELEGRAM_WEBHOOK_SECRET, "sk-or-secret", "123456:tg-secret-token"]) expect(result.stdout).not.toContain(value);
    expect(result.stdout).toContain("NANOBOT_API_KEY (new)");
    expect(result.stdout).toContain("OPENROUTER_API_KEY (set)");
    expect(result.stdout).toContain("TELEGRAM_BOT_TOKEN (set)");
    expect(result.stdout).toContain("The gateway's API key is NANOBOT_API_KEY in .dev.vars");
    expect(result.stdout).toContain("no export is needed");
    expect(result.stdout).toMatch(/Next: `npm start`.*reloads \.dev\.vars.*then `npx nanobot agent -m "hello"`/);
  });

  it("should write a custom endpoint with its key under the variable --api-key-env names", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--provider", "custom", "--model", "m-1", "--api-base", "http://127.0.0.1:9101/v1", "--api-key-env", "MY_LLM_KEY", "--provider-key", "k-9");
    expect(result.stderr).toBe("");
    const config = resolved(dir);
    expect(JSON.parse(read(dir, "nanobot.config.json")).providers.custom).toEqual({ apiKey: "${MY_LLM_KEY}", apiBase: "http://127.0.0.1:9101/v1" });
    expect(config.providers.custom).toMatchObject({ apiKey: "k-9", apiBase: "http://127.0.0.1:9101/v1" });
    expect(vars(dir).MY_LLM_KEY).toBe("k-9");
  });

  it("should leave the provider key line empty but defined when no key is given, so the config still validates", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--provider", "anthropic");
    expect(result.code).toBe(0);
    expect(vars(dir).ANTHROPIC_API_KEY).toBe("");
    expect(resolved(dir).providers.anthropic.apiKey).toBe("");
    expect(result.stdout).toContain("ANTHROPIC_API_KEY in .dev.vars is empty");
  });

  it("should default to a local provider that needs no key with --yes alone", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes");
    expect(result.code).toBe(0);
    const config = resolved(dir);
    expect(config.agents.defaults.provider).toBe("ollama");
    expect(config.providers.ollama.apiBase).toBe("http://127.0.0.1:11434/v1");
  });

  it("should offer Workers AI without a key", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--provider", "workers_ai");
    expect(result.code).toBe(0);
    const config = resolved(dir);
    expect(config.agents.defaults).toMatchObject({ provider: "workers_ai", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" });
    expect(Object.keys(vars(dir)).sort()).toEqual(["NANOBOT_API_KEY", "TELEGRAM_WEBHOOK_SECRET"]);
    expect(result.stdout).toContain("Workers AI answers once deployed");
  });

  it("should turn Telegram on with --telegram-token, nobody allowed yet (strangers get a pairing code)", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--telegram-token", "123456:ABC");
    expect(result.code).toBe(0);
    const config = resolved(dir);
    expect(config.channels.telegram).toMatchObject({ enabled: true, token: "123456:ABC", webhookSecretToken: vars(dir).TELEGRAM_WEBHOOK_SECRET, allowFrom: [] });
    expect(vars(dir).TELEGRAM_BOT_TOKEN).toBe("123456:ABC");
    expect(result.stdout).toContain("pairing approve CODE");
  });

  it("should turn Slack on with both Slack flags", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--slack-bot-token", "xoxb-1", "--slack-signing-secret", "slack-secret");
    expect(result.code).toBe(0);
    expect(resolved(dir).channels.slack).toMatchObject({ enabled: true, botToken: "xoxb-1", signingSecret: "slack-secret" });
    expect(vars(dir)).toMatchObject({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "slack-secret" });
  });

  it("should say which Slack flag is missing and write nothing", async () => {
    const dir = tempProject();
    const result = await onboard(dir, "--yes", "--slack-bot-token", "xoxb-1");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Slack needs both tokens: --slack-signing-secret");
    expect(existsSync(path.join(dir, "nanobot.config.json"))).toBe(false);
    expect(existsSync(path.join(dir, ".dev.vars"))).toBe(false);
  });

  it("should turn the exec tool off with --no-exec", async () => {
    const dir = tempProject();
    expect((await onboard(dir, "-y", "--no-exec")).code).toBe(0);
    expect(resolved(dir).tools.exec.enable).toBe(false);
  });
});

describe("npx nanobot onboard on an existing setup", () => {
  const setup = {
    "nanobot.config.json": '{"agents":{"defaults":{"model":"mine"}}}\n',
    ".dev.vars": "# my notes\nNANOBOT_API_KEY=old-key\nTELEGRAM_WEBHOOK_SECRET=old-secret\nOPENROUTER_API_KEY=sk-or-mine\nMY_TOKEN=keep-me\n",
  };

  it("should not replace nanobot.config.json without --force, and change nothing", async () => {
    const dir = tempProject(setup);
    const result = await onboard(dir, "--yes", "--provider", "openai");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("already exists");
    expect(result.stderr).toContain("--force");
    expect(read(dir, "nanobot.config.json")).toBe(setup["nanobot.config.json"]);
    expect(read(dir, ".dev.vars")).toBe(setup[".dev.vars"]);
  });

  it("should replace the config with --force and keep every secret and line of .dev.vars", async () => {
    const dir = tempProject(setup);
    const result = await onboard(dir, "--yes", "--force", "--provider", "openrouter");
    expect(result.code).toBe(0);
    expect(read(dir, ".dev.vars")).toBe(setup[".dev.vars"]);
    expect(result.stdout).toContain("NANOBOT_API_KEY (kept)");
    const config = resolved(dir);
    expect(config.api.apiKey).toBe("old-key");
    expect(config.providers.openrouter.apiKey).toBe("sk-or-mine");
    expect(config.agents.defaults.model).toBe("anthropic/claude-sonnet-4.5");
  });

  it("should keep a Telegram token already in .dev.vars on a re-run", async () => {
    const dir = tempProject({ ".dev.vars": "TELEGRAM_BOT_TOKEN=42:abc\n" });
    expect((await onboard(dir, "--yes")).code).toBe(0);
    expect(resolved(dir).channels.telegram).toMatchObject({ enabled: true, token: "42:abc" });
  });

  it("should rotate only the generated secrets with --rotate-secrets, keeping the config and the other variables", async () => {
    const dir = tempProject(setup);
    const result = await onboard(dir, "--yes", "--rotate-secrets");
    expect(result.code).toBe(0);
    expect(read(dir, "nanobot.config.json")).toBe(setup["nanobot.config.json"]);
    const v = vars(dir);
    expect(v.NANOBOT_API_KEY).toMatch(/^nb-/);
    expect(v.TELEGRAM_WEBHOOK_SECRET).not.toBe("old-secret");
    expect(v).toMatchObject({ OPENROUTER_API_KEY: "sk-or-mine", MY_TOKEN: "keep-me" });
    expect(read(dir, ".dev.vars")).toContain("# my notes\n");
    expect(result.stdout).toContain("NANOBOT_API_KEY (rotated)");
  });

  it("should rotate with --force --rotate-secrets while writing the new config", async () => {
    const dir = tempProject(setup);
    expect((await onboard(dir, "--yes", "--force", "--rotate-secrets")).code).toBe(0);
    expect(resolved(dir).api.apiKey).not.toBe("old-key");
    expect(vars(dir).MY_TOKEN).toBe("keep-me");
  });

  it("should replace the empty {} config that npm start creates on a fresh clone", async () => {
    const dir = tempProject({ "nanobot.config.json": "{}\n" });
    const result = await onboard(dir, "--yes");
    expect(result.code).toBe(0);
    expect(JSON.parse(read(dir, "nanobot.config.json")).api.apiKey).toBe("${NANOBOT_API_KEY}");
  });

  it("should refuse to run outside a nanobot-edge project", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-elsewhere-"));
    temps.push(dir);
    const result = await runCli(["onboard", "--yes"], { cwd: dir, stdin: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("inside the nanobot-edge project folder");
    expect(existsSync(path.join(dir, "nanobot.config.json"))).toBe(false);
  });
});
