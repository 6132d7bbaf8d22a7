/**
 * Turns config (+ Worker env) into the effective model choice: which provider spec, with which key and
 * base URL, which model name on the wire, and the generation settings. Auto-detection follows nanobot
 * (`config/schema.py` `_match_provider`), plus Workers AI as the zero-key default when the AI binding exists.
 */
import type { Config } from "../config/schema.ts";
import type { ProviderConfig } from "../config/sections/providers.ts";
import { NoProviderError, UnknownPresetError } from "./errors.ts";
import { customSpec, findSpec, PROVIDERS, specForKeyPrefix, type ProviderSpec } from "./registry.ts";

/** The parts of the Worker env providers read: the AI binding and key variables such as OPENROUTER_API_KEY. */
export interface ProviderEnv {
  AI?: unknown;
  readonly [key: string]: unknown;
}

export interface ResolvedProviderConfig {
  apiKey: string;
  /** Null only where the SDK default applies (openai, anthropic) or for Workers AI. */
  apiBase: string | null;
  extraHeaders: Record<string, string>;
  extraBody: Record<string, unknown>;
}

export interface ResolvedModelChoice {
  spec: ProviderSpec;
  providerConfig: ResolvedProviderConfig;
  /** The model name sent on the wire (own-name prefix stripped where the spec says so). */
  model: string;
  maxTokens: number;
  contextWindowTokens: number;
  temperature: number;
  reasoningEffort: string | null;
  /** The preset this came from; null for agents.defaults or an inline fallback. */
  presetName: string | null;
}

/** What a preset, agents.defaults or an inline fallback says (before resolution). */
export interface ModelChoiceInput {
  model: string;
  provider: string;
  maxTokens: number;
  contextWindowTokens: number;
  temperature: number;
  reasoningEffort: string | null;
}

export const NO_PROVIDER_MESSAGE =
  "No LLM provider is configured. Set providers.openrouter.apiKey (or another provider) in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.";

/** Picks the model choice for `presetName` (undefined → agents.defaults.modelPreset; null/"default" → agents.defaults). */
export function resolveModelChoice(config: Config, env: ProviderEnv, presetName?: string | null): ResolvedModelChoice {
  const name = presetName === undefined ? config.agents.defaults.modelPreset : presetName;
  const { input, preset } = choiceInput(config, name);
  return resolveChoiceInput(config, env, input, preset);
}

/** Preset name or inline choice → the unresolved input; unknown preset names throw UnknownPresetError. */
export function choiceInput(config: Config, presetName: string | null): { input: ModelChoiceInput; preset: string | null } {
  if (presetName === null || presetName === "default") return { input: config.agents.defaults, preset: null };
  const preset = config.modelPresets[presetName];
  if (!preset) throw new UnknownPresetError(presetName, ["default", ...Object.keys(config.modelPresets)]);
  return { input: preset, preset: presetName };
}

export function resolveChoiceInput(
  config: Config,
  env: ProviderEnv,
  input: ModelChoiceInput,
  presetName: string | null,
): ResolvedModelChoice {
  const spec = input.provider && input.provider !== "auto" ? explicitSpec(config, env, input.provider) : detectSpec(config, env, input.model);
  const providerConfig = resolveProviderConfig(config, env, spec);
  const prefix = `${spec.name}/`;
  const model = spec.stripModelPrefix && input.model.startsWith(prefix) ? input.model.slice(prefix.length) : input.model;
  return {
    spec,
    providerConfig,
    model,
    maxTokens: input.maxTokens,
    contextWindowTokens: input.contextWindowTokens,
    temperature: input.temperature,
    reasoningEffort: input.reasoningEffort,
    presetName,
  };
}

function specFor(config: Config, name: string): ProviderSpec | undefined {
  const builtIn = findSpec(name);
  if (builtIn) return builtIn;
  const entry = config.providers[name];
  return entry ? customSpec(name, entry.backend) : undefined;
}

function envKey(env: ProviderEnv, spec: ProviderSpec): string {
  const value = spec.envKey ? env[spec.envKey] : undefined;
  return typeof value === "string" ? value : "";
}

function apiKeyOf(config: Config, env: ProviderEnv, spec: ProviderSpec): string {
  return config.providers[spec.name]?.apiKey || envKey(env, spec);
}

/** Can this provider be called with what is configured? */
export function isUsable(config: Config, env: ProviderEnv, spec: ProviderSpec): boolean {
  if (spec.backend === "workers-ai") return env.AI !== undefined && env.AI !== null;
  const entry: ProviderConfig | undefined = config.providers[spec.name];
  if (spec.isLocal) return entry !== undefined && Boolean(entry.apiBase ?? spec.defaultApiBase);
  if (spec.isDirect) return Boolean(entry?.apiBase);
  return apiKeyOf(config, env, spec) !== "";
}

function explicitSpec(config: Config, env: ProviderEnv, name: string): ProviderSpec {
  const spec = specFor(config, name);
  if (!spec) {
    const known = [...PROVIDERS.map((s) => s.name), ...Object.keys(config.providers).filter((n) => !findSpec(n))];
    throw new NoProviderError(
      `Unknown provider '${name}'. Use one of ${[...new Set(known)].join(", ")}, or add providers.${name}.apiBase for an OpenAI-compatible endpoint.`,
    );
  }
  if (isUsable(config, env, spec)) return spec;
  throw new NoProviderError(notConfiguredMessage(spec));
}

function notConfiguredMessage(spec: ProviderSpec): string {
  if (spec.backend === "workers-ai")
    return "Provider 'workers_ai' needs the Workers AI binding (`[ai] binding = \"AI\"` in wrangler.toml), which is only available when deployed. Choose another provider for local use.";
  if (spec.isDirect || spec.isLocal)
    return `Provider '${spec.name}' is selected but has no apiBase. Set providers.${spec.name}.apiBase in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.`;
  return `Provider '${spec.name}' is selected but has no API key. Set providers.${spec.name}.apiKey${spec.envKey ? ` (or the ${spec.envKey} secret)` : ""} in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.`;
}

/** Every spec the config can name: registry entries first (priority order), then custom names. */
function allSpecs(config: Config): ProviderSpec[] {
  const custom = Object.keys(config.providers)
    .filter((n) => !findSpec(n))
    .map((n) => customSpec(n, config.providers[n].backend));
  return [...PROVIDERS, ...custom];
}

/** nanobot's auto-detection, in order; see the module comment. */
export function detectSpec(config: Config, env: ProviderEnv, model: string): ProviderSpec {
  const specs = allSpecs(config);
  const usable = specs.filter((s) => isUsable(config, env, s));
  const lower = model.toLowerCase();
  const slash = lower.indexOf("/");
  const prefix = slash > 0 && !lower.startsWith("@") ? lower.slice(0, slash) : null;

  // 1. model prefix naming a provider (`deepseek/deepseek-chat`), built-in or custom.
  if (prefix) {
    const byPrefix = usable.find((s) => s.name.toLowerCase() === prefix);
    if (byPrefix) return byPrefix;
  }
  // 2. keywords in registry order; local servers only when no other vendor's prefix is on the model.
  const foreignPrefix = prefix !== null && specs.some((s) => s.name === prefix);
  for (const s of usable) {
    if (s.isLocal && foreignPrefix) continue;
    if (s.keywords.some((k) => lower.includes(k))) return s;
  }
  // 3. configured local servers, preferring one whose apiBase carries its base keyword (e.g. "11434").
  const locals = usable.filter((s) => s.isLocal);
  const localByBase = locals.find((s) => {
    const base = config.providers[s.name]?.apiBase ?? "";
    return s.baseKeywords.some((k) => base.includes(k));
  });
  if (localByBase ?? locals[0]) return (localByBase ?? locals[0])!;
  // 4. first provider with a key, gateways first.
  const keyed = usable.filter((s) => !s.isLocal && !s.isDirect && s.backend !== "workers-ai");
  const withKey = keyed.find((s) => s.isGateway) ?? keyed[0];
  if (withKey) return withKey;
  // 5. any custom endpoint with an apiBase.
  const direct = usable.find((s) => s.isDirect);
  if (direct) return direct;
  // 6. Workers AI through the binding: the zero-key default when deployed.
  const workersAi = usable.find((s) => s.backend === "workers-ai");
  if (workersAi) return workersAi;
  throw new NoProviderError(NO_PROVIDER_MESSAGE);
}

export function resolveProviderConfig(config: Config, env: ProviderEnv, spec: ProviderSpec): ResolvedProviderConfig {
  const entry = config.providers[spec.name];
  const apiKey = apiKeyOf(config, env, spec);
  // A gateway key in another provider's slot (an OpenRouter `sk-or-` key under `openai`) goes to the gateway.
  const gateway = apiKey ? specForKeyPrefix(apiKey) : undefined;
  const fallbackBase = gateway?.isGateway && gateway !== spec ? gateway.defaultApiBase : spec.defaultApiBase;
  return {
    apiKey,
    apiBase: entry?.apiBase ?? fallbackBase,
    extraHeaders: { ...(spec.defaultHeaders ?? {}), ...(entry?.extraHeaders ?? {}) },
    extraBody: { ...(entry?.extraBody ?? {}) },
  };
}
