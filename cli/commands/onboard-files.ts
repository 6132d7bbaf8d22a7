import { randomBytes } from "node:crypto";
import { PROVIDERS, findSpec } from "../../src/providers/registry.ts";

/** What `onboard` needs to know; everything else gets nanobot's defaults. */
export interface OnboardChoices {
  provider: string;
  model: string;
  apiBase?: string;
  /** The variable holding the provider's key (`OPENROUTER_API_KEY`, or --api-key-env); none for keyless providers. */
  keyVar?: string;
  /** A new value for keyVar (flag or prompt); without it an existing value is kept, else an empty line is written. */
  providerKey?: string;
  telegramToken?: string;
  slackBotToken?: string;
  slackSigningSecret?: string;
  exec: boolean;
  timezone: string;
}

/** What happened to one variable of .dev.vars; printed by name, never by value. */
export type VarChange = "generated" | "rotated" | "kept" | "set" | "empty";

export interface OnboardFiles {
  config: Record<string, unknown>;
  /** Only the variables onboard manages; the rest of .dev.vars is left as it is. */
  vars: Record<string, string>;
  changes: Record<string, VarChange>;
}

/** Environment variable holding a provider's key, nanobot's naming (`OPENROUTER_API_KEY`, `LM_STUDIO_API_KEY`). */
export function providerKeyVar(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_API_KEY`;
}

export const generateApiKey = () => `nb-${randomBytes(24).toString("base64url")}`;
/** Telegram allows 1–256 characters of [A-Za-z0-9_-] in a webhook secret token. */
export const generateSecret = () => randomBytes(32).toString("hex");

/** Providers offered by the interactive prompt, each with a first model. */
export const PROVIDER_CHOICES: Array<{ name: string; model: string; apiBase?: string; note: string }> = [
  { name: "openrouter", model: "anthropic/claude-sonnet-4.5", note: "many vendors' models with one key" },
  { name: "anthropic", model: "claude-sonnet-4-5", note: "Claude" },
  { name: "openai", model: "gpt-5-mini", note: "GPT" },
  { name: "deepseek", model: "deepseek-chat", note: "DeepSeek" },
  { name: "ollama", model: "llama3.2", apiBase: "http://127.0.0.1:11434/v1", note: "a model on this machine, no key" },
  {
    name: "workers_ai",
    model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    note: "Cloudflare Workers AI, no key: answers once deployed; under npm start the chat asks for another provider",
  },
  { name: "custom", model: "my-model", note: "any OpenAI-compatible endpoint (asks for its URL)" },
];

export const DEFAULT_PROVIDER = "ollama";

export function providerChoice(name: string) {
  return PROVIDER_CHOICES.find((p) => p.name === name);
}

/** Every provider name the gateway knows (its registry); any other name needs --api-base. */
export const KNOWN_PROVIDERS = PROVIDERS.map((p) => p.name);

/** Hosted providers need a key; local servers, custom endpoints and Workers AI (a binding) do not. */
export function needsKey(provider: string): boolean {
  const spec = findSpec(provider);
  return spec ? !spec.isLocal && !spec.isDirect && spec.backend !== "workers-ai" : false;
}

/** The variable the gateway itself reads for that provider's key (registry envKey), else nanobot's naming. */
export const defaultKeyVar = (provider: string) => findSpec(provider)?.envKey ?? providerKeyVar(provider);

/**
 * The config refers to secrets only through `${VAR}`, so nanobot.config.json holds no secret and can be shared.
 * Every variable it refers to is in the returned vars (a missing one would be a config error: every route 503/500).
 * Existing values are kept unless `rotate` (generated secrets) or a new value was given (tokens, provider key).
 */
export function buildFiles(choices: OnboardChoices, existing: Record<string, string>, rotate: boolean): OnboardFiles {
  const vars: Record<string, string> = {};
  const changes: Record<string, VarChange> = {};
  const generated = (name: string, make: () => string) => {
    if (existing[name] && !rotate) {
      vars[name] = existing[name];
      changes[name] = "kept";
    } else {
      vars[name] = make();
      changes[name] = existing[name] ? "rotated" : "generated";
    }
  };
  const given = (name: string, value: string | undefined): boolean => {
    if (value !== undefined && value !== "") {
      vars[name] = value;
      changes[name] = existing[name] === value ? "kept" : "set";
      return true;
    }
    if (existing[name] !== undefined && existing[name] !== "") {
      vars[name] = existing[name];
      changes[name] = "kept";
      return true;
    }
    return false;
  };

  generated("NANOBOT_API_KEY", generateApiKey);
  generated("TELEGRAM_WEBHOOK_SECRET", generateSecret);

  const provider: Record<string, string> = {};
  if (choices.keyVar) {
    // An empty line is still a defined variable: the config stays valid and the chat says the key is missing.
    if (!given(choices.keyVar, choices.providerKey)) {
      vars[choices.keyVar] = existing[choices.keyVar] ?? "";
      changes[choices.keyVar] = "empty";
    }
    provider.apiKey = `\${${choices.keyVar}}`;
  }
  if (choices.apiBase) provider.apiBase = choices.apiBase;

  const telegram = given("TELEGRAM_BOT_TOKEN", choices.telegramToken);
  const slackBot = given("SLACK_BOT_TOKEN", choices.slackBotToken);
  const slackSecret = given("SLACK_SIGNING_SECRET", choices.slackSigningSecret);
  const channels: Record<string, unknown> = {
    telegram: {
      enabled: telegram,
      token: telegram ? "${TELEGRAM_BOT_TOKEN}" : "",
      webhookSecretToken: "${TELEGRAM_WEBHOOK_SECRET}",
      // Nobody yet: whoever messages the bot gets a pairing code (npx nanobot pairing approve CODE).
      allowFrom: [],
      groupPolicy: "mention",
    },
  };
  if (slackBot && slackSecret) {
    channels.slack = { enabled: true, botToken: "${SLACK_BOT_TOKEN}", signingSecret: "${SLACK_SIGNING_SECRET}", allowFrom: [], groupPolicy: "mention" };
  }

  const config = {
    agents: { defaults: { provider: choices.provider, model: choices.model, timezone: choices.timezone }, isolation: "agent" },
    providers: { [choices.provider]: provider },
    api: { apiKey: "${NANOBOT_API_KEY}" },
    channels,
    tools: { exec: { enable: choices.exec } },
  };
  return { config, vars, changes };
}

const HEADER = [
  "# Secrets for the local gateway (`npm start` reads this file). Written by `npx nanobot onboard`; never commit it.",
  "# `npx nanobot deploy` pushes the ones the config refers to as Worker secrets (names only are printed).",
];

function formatLine(name: string, value: string): string {
  return `${name}=${/[\s#"'\\]/.test(value) ? JSON.stringify(value) : value}`;
}

/**
 * The new .dev.vars text: the existing file line by line (comments and other variables untouched), a managed
 * variable's line replaced only when its value changed, new variables appended.
 */
export function updateDevVarsText(existingText: string | null, vars: Record<string, string>, existing: Record<string, string>): string {
  const pending = new Map(Object.entries(vars));
  const lines = existingText === null ? [...HEADER] : existingText.replace(/\r?\n$/, "").split(/\r?\n/);
  const out = lines.map((line) => {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (!name || !pending.has(name)) return line;
    const value = pending.get(name)!;
    pending.delete(name);
    return existing[name] === value ? line : formatLine(name, value);
  });
  for (const [name, value] of pending) out.push(formatLine(name, value));
  return `${out.join("\n")}\n`;
}
