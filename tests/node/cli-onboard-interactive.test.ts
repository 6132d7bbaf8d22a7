import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { onboardCommand } from "../../cli/commands/onboard.ts";
import { parseDotenv } from "../../cli/project.ts";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { makeProjectFolder } from "../support/project-folder.ts";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempProject = (files: Record<string, string> = {}) => makeProjectFolder(temps, files, "nanobot-onboard-tty-");

/**
 * Runs onboard in this process on a stand-in terminal: streams flagged as TTYs, so readline runs in terminal
 * mode (echo, muted echo for secrets) exactly as on a real one. Each answer is typed once its question shows.
 */
async function onboardOnTerminal(dir: string, args: string[], answers: Array<[question: string, answer: string]>) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
  let screen = "";
  const pending = [...answers];
  stdout.on("data", (d: Buffer) => {
    screen += d.toString();
    while (pending.length && screen.includes(pending[0][0])) stdin.write(`${pending.shift()![1]}\r`);
  });
  const code = await onboardCommand(["--dir", dir, ...args], { stdin, stdout });
  return { code, screen, unanswered: pending.map(([q]) => q) };
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, name), "utf8");

describe("npx nanobot onboard on a terminal", () => {
  it("should ask for provider, model, key and channel tokens, hide the secrets, and write a config that validates", async () => {
    const dir = tempProject();
    const { code, screen, unanswered } = await onboardOnTerminal(dir, [], [
      ["Provider [1]: ", "1"],
      ["Model [anthropic/claude-sonnet-4.5]: ", ""],
      ["OPENROUTER_API_KEY (input hidden", "sk-or-typed"],
      ["Telegram bot token", "777:tok"],
      ["Slack bot token", ""],
    ]);
    expect(unanswered).toEqual([]);
    expect(code).toBe(0);
    for (const name of ["openrouter", "anthropic", "openai", "deepseek", "ollama", "workers_ai", "custom"]) expect(screen).toContain(name);
    expect(screen).toContain("Workers AI, no key");
    expect(screen).not.toContain("sk-or-typed");
    expect(screen).not.toContain("777:tok");
    const vars = parseDotenv(read(dir, ".dev.vars"));
    expect(vars).toMatchObject({ OPENROUTER_API_KEY: "sk-or-typed", TELEGRAM_BOT_TOKEN: "777:tok" });
    const result = resolveConfig({ name: "nanobot.config.json", text: read(dir, "nanobot.config.json") }, undefined, vars);
    expect(result.ok && result.config.channels.telegram.enabled).toBe(true);
    expect(result.ok && result.config.agents.defaults.provider).toBe("openrouter");
  });

  it("should ask only what the flags did not answer", async () => {
    const dir = tempProject();
    const { code, screen } = await onboardOnTerminal(dir, ["--provider", "workers_ai", "--model", "@cf/x", "--telegram-token", "1:a", "--slack-bot-token", "xoxb-2", "--slack-signing-secret", "s"], []);
    expect(code).toBe(0);
    expect(screen).not.toContain("Provider [1]");
    expect(screen).not.toContain("API_KEY (input hidden");
    expect(JSON.parse(read(dir, "nanobot.config.json")).agents.defaults.model).toBe("@cf/x");
  });

  it("should ask again after an unknown provider, and ask a custom endpoint's URL until it is one", async () => {
    const dir = tempProject();
    const { code, screen, unanswered } = await onboardOnTerminal(dir, ["--telegram-token", "1:a", "--slack-bot-token", "x", "--slack-signing-secret", "y"], [
      ["Provider [1]: ", "openruoter"],
      ["(custom: any OpenAI-compatible endpoint).", "custom"],
      ["Model [my-model]: ", "m-1"],
      ["API base URL", "localhost:8000"],
      ["That is not an http(s) URL.", "http://127.0.0.1:8000/v1"],
    ]);
    expect(unanswered).toEqual([]);
    expect(code).toBe(0);
    expect(screen).toContain("Pick 1 to 7, or one of");
    expect(JSON.parse(read(dir, "nanobot.config.json")).providers.custom).toEqual({ apiBase: "http://127.0.0.1:8000/v1" });
  });

  it("should ask before replacing nanobot.config.json and keep it on No", async () => {
    const dir = tempProject({ "nanobot.config.json": '{"agents":{}}\n', ".dev.vars": "NANOBOT_API_KEY=mine\n" });
    const { code, screen } = await onboardOnTerminal(dir, [], [["Replace it? Your secrets in .dev.vars are kept. [y/N] ", ""]]);
    expect(code).toBe(0);
    expect(screen).toContain("nothing was changed");
    expect(read(dir, "nanobot.config.json")).toBe('{"agents":{}}\n');
    expect(read(dir, ".dev.vars")).toBe("NANOBOT_API_KEY=mine\n");
  });

  it("should replace it on yes, keeping the API key", async () => {
    const dir = tempProject({ "nanobot.config.json": '{"agents":{}}\n', ".dev.vars": "NANOBOT_API_KEY=mine\n" });
    const { code } = await onboardOnTerminal(dir, ["--provider", "ollama", "--telegram-token", "1:a", "--slack-bot-token", "x", "--slack-signing-secret", "y"], [
      ["[y/N] ", "y"],
      ["Model [llama3.2]: ", "qwen3"],
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(read(dir, "nanobot.config.json")).agents.defaults.model).toBe("qwen3");
    expect(parseDotenv(read(dir, ".dev.vars")).NANOBOT_API_KEY).toBe("mine");
  });

  it("should write nothing when the input ends before the last answer", async () => {
    const dir = tempProject();
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    stdout.resume();
    stdin.end("2\r");
    await expect(onboardCommand(["--dir", dir], { stdin, stdout })).rejects.toThrow("nothing was changed");
    expect(existsSync(path.join(dir, "nanobot.config.json"))).toBe(false);
    expect(existsSync(path.join(dir, ".dev.vars"))).toBe(false);
  });
});
