import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { changes, deploy, ONBOARDED_CONFIG, onboardedProject, SECRETS } from "../support/deploy-project.ts";
import { type StandInCloudflare, startStandInCloudflare } from "../support/stand-in-cloudflare.ts";
import type { TempProject } from "../support/temp-project.ts";

let cf: StandInCloudflare | undefined;
let project: TempProject | undefined;
afterEach(async () => {
  await cf?.close();
  project?.remove();
  cf = project = undefined;
});

const ollama = {
  agents: { defaults: { provider: "ollama", model: "llama3.2" } },
  providers: { ollama: { apiBase: "http://127.0.0.1:11434/v1" } },
  api: { apiKey: "${NANOBOT_API_KEY}" },
};

describe("npx nanobot deploy refuses before changing anything", () => {
  it("should stop on a ${VAR} that neither .dev.vars nor the environment sets, naming it and its config key", { timeout: 60_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject({ ...ONBOARDED_CONFIG, tools: { web: { search: { apiKey: "${MISSING}" } } } });
    const result = await deploy(project, cf, []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("MISSING (tools.web.search.apiKey)");
    expect(result.stderr).toContain("Nothing was changed");
    expect(changes(cf)).toEqual([]);
    expect(cf.state.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("should take a secret from the environment when .dev.vars lacks it, and find the only account", { timeout: 60_000 }, async () => {
    cf = await startStandInCloudflare();
    const { OPENROUTER_API_KEY: _, ...rest } = SECRETS;
    project = onboardedProject(ONBOARDED_CONFIG, rest);
    // No CLOUDFLARE_ACCOUNT_ID either: the only account the token sees is used.
    const result = await deploy(project, cf, ["--dry-run"], { OPENROUTER_API_KEY: "sk-or-from-env", CLOUDFLARE_ACCOUNT_ID: "" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`on account ${cf.state.accountId}`);
    expect(result.stdout).toContain("OPENROUTER_API_KEY (environment)");
    expect(result.stdout).not.toContain("sk-or-from-env");
  });

  it("should stop on a loopback provider URL, naming the key and the production overlay", { timeout: 60_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject(ollama, { NANOBOT_API_KEY: SECRETS.NANOBOT_API_KEY });
    const result = await deploy(project, cf, []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('providers.ollama.apiBase = "http://127.0.0.1:11434/v1"');
    expect(result.stderr).toContain("nanobot.config.production.json");
    expect(cf.state.requests).toEqual([]);
  });

  it("should ask at a terminal, and stop when the answer is no", { timeout: 60_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject(ollama, { NANOBOT_API_KEY: SECRETS.NANOBOT_API_KEY });
    // `script` gives the CLI a pseudo-terminal, as a person at a shell would have.
    const env = { ...process.env, CI: "", CLOUDFLARE_API_BASE_URL: cf.apiBase, CLOUDFLARE_API_TOKEN: "stand-in-token", CLOUDFLARE_ACCOUNT_ID: cf.state.accountId };
    const child = spawn("script", ["-qec", `${process.execPath} ${path.join(project.dir, "bin", "nanobot.mjs")} deploy`, "/dev/null"], { cwd: project.dir, env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let answered = false;
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      if (!answered && output.includes("Deploy these values anyway? [y/N]")) {
        answered = true;
        child.stdin.write("n\n");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(answered).toBe(true);
    expect(code).toBe(1);
    expect(output).toContain("Not deployed: providers.ollama.apiBase");
    expect(cf.state.requests).toEqual([]);
  });

  it("should deploy the production overlay instead of the local provider", { timeout: 120_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject(ollama, { NANOBOT_API_KEY: SECRETS.NANOBOT_API_KEY, OPENROUTER_API_KEY: SECRETS.OPENROUTER_API_KEY });
    const overlay = { agents: { defaults: { provider: "openrouter", model: "overlay/model-for-production" } }, providers: { ollama: null, openrouter: { apiKey: "${OPENROUTER_API_KEY}" } } };
    writeFileSync(project.file("nanobot.config.production.json"), JSON.stringify(overlay));
    const result = await deploy(project, cf, ["--url", cf.workerUrl]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const upload = cf.state.uploads[0];
    expect(upload.mainText).toContain("overlay/model-for-production");
    expect(upload.mainText).not.toContain("127.0.0.1:11434");
    expect(upload.secretNames).toContain("OPENROUTER_API_KEY");
  });

  it("should say how to register a workers.dev subdomain when the account has none", { timeout: 60_000 }, async () => {
    cf = await startStandInCloudflare({ subdomain: null });
    project = onboardedProject();
    const result = await deploy(project, cf, []);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`https://dash.cloudflare.com/${cf.state.accountId}/workers/onboarding`);
    expect(changes(cf)).toEqual([]);
  });
});

describe("npx nanobot deploy --dry-run", () => {
  it("should print the plan and change nothing", { timeout: 90_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject();
    // A ${VAR} that wrangler.toml's [vars] provides is neither a secret to push nor a missing variable.
    const config = JSON.parse(readFileSync(project.file("nanobot.config.json"), "utf8"));
    writeFileSync(project.file("nanobot.config.json"), JSON.stringify({ ...config, tools: { ...config.tools, web: { dohUrl: "${NANOBOT_DOH_URL}" } } }));
    const result = await deploy(project, cf, ["--dry-run"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("D1 database:     nanobot-edge: will be created");
    expect(result.stdout).toContain("R2 bucket:       nanobot-edge-workspace: will be created");
    expect(result.stdout).toContain("0001_init.sql, 0002_sandbox_sync.sql, 0003_memory.sql, 0004_pairing.sql");
    expect(result.stdout).toMatch(/secrets: +OPENROUTER_API_KEY \(\.dev\.vars\), NANOBOT_API_KEY \(\.dev\.vars\)/);
    expect(result.stdout).toContain("SANDBOX_RUNNER_SECRET (new, kept in .dev.vars)");
    expect(result.stdout).not.toMatch(/secrets:.*NANOBOT_DOH_URL/);
    expect(result.stdout).toContain("SESSIONS (SessionDO)");
    expect(result.stdout).toContain("env.DB (nanobot-edge)");
    expect(changes(cf)).toEqual([]);
    expect(cf.state.requests.every((r) => r.method === "GET")).toBe(true);
    expect(existsSync(project.file("dist"))).toBe(true);
    for (const value of Object.values(SECRETS)) expect(result.stdout + result.stderr).not.toContain(value);
  });

  it("should still print the plan and build the bundle when not logged in to Cloudflare", { timeout: 90_000 }, async () => {
    cf = await startStandInCloudflare();
    project = onboardedProject();
    // A home of its own: no wrangler login can be found there, and no API token is set.
    const result = await deploy(project, cf, ["--dry-run"], { CLOUDFLARE_API_TOKEN: "", HOME: project.dir, XDG_CONFIG_HOME: project.file(".config") });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("Not logged in to Cloudflare. Run `npx wrangler login`");
    expect(result.stdout).toContain("D1 database:     nanobot-edge: unknown (not logged in)");
    expect(result.stdout).toContain("Dry run: the production bundle builds");
    expect(cf.state.requests).toEqual([]);
  });
});
