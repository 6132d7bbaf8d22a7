/** A throwaway onboarded project and `npx nanobot deploy` run in it against the stand-in Cloudflare API. */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cleanEnv, type CliResult } from "./run-cli.ts";
import type { StandInCloudflare } from "./stand-in-cloudflare.ts";
import { createTempProject, type TempProject } from "./temp-project.ts";

export const SECRETS = {
  NANOBOT_API_KEY: "nb-prod-key-0123456789abcdefghijklmnop",
  TELEGRAM_BOT_TOKEN: "123456:TELEGRAM-TOKEN-VALUE",
  TELEGRAM_WEBHOOK_SECRET: "tg-webhook-secret-value",
  OPENROUTER_API_KEY: "sk-or-provider-key-value",
};

/** The config `npx nanobot onboard --provider openrouter --telegram-token …` writes: secrets only as `${VAR}`. */
export const ONBOARDED_CONFIG = {
  agents: { defaults: { provider: "openrouter", model: "anthropic/claude-sonnet-4.5" } },
  providers: { openrouter: { apiKey: "${OPENROUTER_API_KEY}" } },
  api: { apiKey: "${NANOBOT_API_KEY}" },
  channels: { telegram: { enabled: true, token: "${TELEGRAM_BOT_TOKEN}", webhookSecretToken: "${TELEGRAM_WEBHOOK_SECRET}", allowFrom: [] } },
};

export function onboardedProject(config: unknown = ONBOARDED_CONFIG, devVars: Record<string, string> = SECRETS): TempProject {
  const project = createTempProject("nanobot-deploy-");
  writeFileSync(project.file("nanobot.config.json"), JSON.stringify(config, null, 2));
  writeFileSync(project.file(".dev.vars"), Object.entries(devVars).map(([k, v]) => `${k}=${v}\n`).join(""), { mode: 0o600 });
  return project;
}

/** Runs the project's own CLI (so its scripts build inside the copy) non-interactively, as CI would. */
export function deploy(project: TempProject, cf: StandInCloudflare, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env = cleanEnv({ CI: "true", CLOUDFLARE_API_BASE_URL: cf.apiBase, CLOUDFLARE_API_TOKEN: "stand-in-token", CLOUDFLARE_ACCOUNT_ID: cf.state.accountId, ...extraEnv });
  for (const key of Object.keys(env)) if (key.startsWith("CLOUDFLARE_") && !(key in extraEnv) && !["CLOUDFLARE_API_BASE_URL", "CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"].includes(key)) delete env[key];
  const child = spawn(process.execPath, [path.join(project.dir, "bin", "nanobot.mjs"), "deploy", ...args], { cwd: project.dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

/** Requests that changed something on the stand-in (creations, uploads, migrations, secrets). */
export const changes = (cf: StandInCloudflare) => cf.state.requests.filter((r) => r.action);
