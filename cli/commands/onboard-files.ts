import { randomBytes } from "node:crypto";

/** What `onboard` needs to know; everything else gets nanobot's defaults. */
export interface OnboardChoices {
  provider: string;
  model: string;
  apiBase?: string;
  /** The provider's key; stored in .dev.vars, referenced from the config as `${<PROVIDER>_API_KEY}`. */
  providerKey?: string;
  timezone: string;
}

/** Environment variable holding a provider's key, nanobot's naming (`OPENROUTER_API_KEY`, `LM_STUDIO_API_KEY`). */
export function providerKeyVar(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

export const generateApiKey = () => `nb-${randomBytes(24).toString("base64url")}`;
/** Telegram allows 1–256 characters of [A-Za-z0-9_-] in a webhook secret token. */
export const generateSecret = () => randomBytes(32).toString("hex");

/**
 * The config refers to secrets only through `${VAR}`, so nanobot.config.json holds no secret and can be shared;
 * every variable it refers to is written to .dev.vars (a missing one would be a config error at start).
 */
export function buildConfig(choices: OnboardChoices): Record<string, unknown> {
  const provider: Record<string, string> = {};
  if (choices.providerKey) provider.apiKey = `\${${providerKeyVar(choices.provider)}}`;
  if (choices.apiBase) provider.apiBase = choices.apiBase;
  return {
    agents: { defaults: { provider: choices.provider, model: choices.model, timezone: choices.timezone }, isolation: "agent" },
    providers: { [choices.provider]: provider },
    api: { apiKey: "${NANOBOT_API_KEY}" },
    channels: {
      telegram: { enabled: false, token: "", webhookSecretToken: "${TELEGRAM_WEBHOOK_SECRET}", allowFrom: [], groupPolicy: "mention" },
    },
  };
}

export function buildDevVars(choices: OnboardChoices, existing: Record<string, string>): Record<string, string> {
  const vars: Record<string, string> = {
    ...existing,
    NANOBOT_API_KEY: generateApiKey(),
    TELEGRAM_WEBHOOK_SECRET: generateSecret(),
  };
  if (choices.providerKey) vars[providerKeyVar(choices.provider)] = choices.providerKey;
  return vars;
}

export function formatDevVars(vars: Record<string, string>): string {
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${/[\s#"']/.test(v) ? JSON.stringify(v) : v}`);
  return [
    "# Secrets for the local gateway (`npm start` reads this file). Written by `npx nanobot onboard`; never commit it.",
    "# In production set each one with `npx wrangler secret put NAME`.",
    ...lines,
    "",
  ].join("\n");
}

/** Providers offered by the interactive prompt, with a sensible first model and whether a key is needed. */
export const PROVIDER_CHOICES: Array<{ name: string; model: string; needsKey: boolean; apiBase?: string }> = [
  { name: "openrouter", model: "anthropic/claude-sonnet-4.5", needsKey: true },
  { name: "anthropic", model: "claude-sonnet-4-5", needsKey: true },
  { name: "openai", model: "gpt-5-mini", needsKey: true },
  { name: "deepseek", model: "deepseek-chat", needsKey: true },
  { name: "ollama", model: "llama3.2", needsKey: false, apiBase: "http://127.0.0.1:11434/v1" },
  { name: "custom", model: "my-model", needsKey: false },
];
