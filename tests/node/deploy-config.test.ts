import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chooseContainer } from "../../cli/deploy/container.ts";
import { parseDeployArgs } from "../../cli/deploy/deploy-args.ts";
import { literalSecrets, localOnlyValues, readProductionConfig, referencedVars } from "../../cli/deploy/production-config.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the production config", () => {
  it("should deep-merge nanobot.config.production.json over nanobot.config.json, a null removing a key", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-prodcfg-"));
    dirs.push(dir);
    writeFileSync(path.join(dir, "nanobot.config.json"), JSON.stringify({ agents: { defaults: { provider: "ollama", model: "llama3.2", timezone: "Europe/Berlin" } }, providers: { ollama: { api_base: "http://127.0.0.1:11434/v1" } } }));
    writeFileSync(path.join(dir, "nanobot.config.production.json"), JSON.stringify({ agents: { defaults: { provider: null, model: null } }, providers: { ollama: null } }));
    const config = readProductionConfig(dir);
    expect(config.sources).toEqual(["nanobot.config.json", "nanobot.config.production.json"]);
    expect(config.value).toEqual({ agents: { defaults: { timezone: "Europe/Berlin" } }, providers: {} });
    expect(localOnlyValues(config.value)).toEqual([]);
  });

  it("should name every value that only works on this machine", () => {
    const findings = localOnlyValues({
      providers: { ollama: { apiBase: "http://127.0.0.1:11434/v1" }, vllm: { apiBase: "http://192.168.1.20:8000/v1" }, openrouter: { apiBase: "https://openrouter.ai/api/v1" } },
      channels: { telegram: { apiRoot: "http://localhost:8081" } },
      tools: { mcpServers: { fs: { command: "/usr/local/bin/mcp-fs" } } },
    });
    expect(findings.map((f) => f.key)).toEqual(["providers.ollama.apiBase", "providers.vllm.apiBase", "channels.telegram.apiRoot", "tools.mcpServers.fs.command"]);
  });

  it("should name secrets written out literally (they would be bundled into the code), not ${VAR} references", () => {
    const keys = literalSecrets({
      api: { apiKey: "key-123" },
      agents: { defaults: { maxTokens: 1024, contextWindowTokens: 32000 } },
      channels: { telegram: { token: "${TELEGRAM_BOT_TOKEN}", webhookSecretToken: "tg-secret" }, slack: { signingSecret: "" } },
    });
    expect(keys).toEqual(["api.apiKey", "channels.telegram.webhookSecretToken"]);
  });

  it("should list each ${VAR} once with the first key that names it", () => {
    const vars = referencedVars({ api: { apiKey: "${NANOBOT_API_KEY}" }, providers: { a: { apiKey: "${KEY}" }, b: { apiKey: "x-${KEY}" } } });
    expect([...vars]).toEqual([["NANOBOT_API_KEY", "api.apiKey"], ["KEY", "providers.a.apiKey"]]);
  });
});

describe("npx nanobot deploy arguments", () => {
  it("should pass everything after -- to wrangler and refuse unknown options", () => {
    expect(parseDeployArgs(["--dry-run", "--url", "https://bot.example.com/", "--", "--message", "v2"])).toEqual({ dryRun: true, url: "https://bot.example.com", help: false, wranglerArgs: ["--message", "v2"] });
    expect(() => parseDeployArgs(["--minify"])).toThrow(/Unknown option "--minify"/);
    expect(() => parseDeployArgs(["--url", "bot.example.com"])).toThrow(/--url needs the Worker's URL/);
  });
});

describe("the sandbox container", () => {
  const withPath = <T>(dir: string, run: () => T): T => {
    const before = process.env.PATH;
    process.env.PATH = dir;
    try {
      return run();
    } finally {
      process.env.PATH = before;
    }
  };

  it("should be deployed when Docker answers, and skipped with --containers-rollout=none when it does not", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-docker-"));
    dirs.push(dir);
    expect(withPath(dir, () => chooseContainer([], true))).toMatchObject({ args: ["--containers-rollout=none"], summary: expect.stringContaining("Docker is not available") });
    writeFileSync(path.join(dir, "docker"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    expect(withPath(dir, () => chooseContainer([], true))).toEqual({ args: [], summary: "built with Docker and deployed (sandbox-runner/Dockerfile)" });
    expect(withPath(dir, () => chooseContainer(["--containers-rollout=immediate"], true)).args).toEqual([]);
  });
});
