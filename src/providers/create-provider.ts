/**
 * The one entry point the runner uses: config + env (+ a `/model` preset) → a provider with retries,
 * timeouts and fallbacks, and the resolved choice (model, limits) to build requests with.
 */
import type { Config } from "../config/schema.ts";
import { createAnthropicBackend } from "./anthropic-backend.ts";
import { cachedBackend } from "./backend-cache.ts";
import { NoProviderError } from "./errors.ts";
import { CircuitBreaker, isolateBreaker, withFallback, type ModelTarget } from "./fallback.ts";
import { createOpenAiBackend } from "./openai-backend.ts";
import type { BackendDeps } from "./sdk-client.ts";
import { choiceInput, resolveChoiceInput, resolveModelChoice, type ProviderEnv, type ResolvedModelChoice } from "./resolve-model.ts";
import { withRetry, type RetryOptions } from "./retry.ts";
import type { ChatRequest, LlmProvider } from "./types.ts";
import { createWorkersAiBackend, type AiBinding } from "./workers-ai-backend.ts";

export interface CreateProviderOptions {
  config: Config;
  env: ProviderEnv;
  /** undefined → agents.defaults.modelPreset; null or "default" → agents.defaults; else a modelPresets key. */
  presetName?: string | null;
  /** Overrides for retry delays, timeouts and sleep (tests); timeouts default to agents.defaults.llmTimeoutS / streamIdleTimeoutS. */
  retry?: Partial<RetryOptions>;
  fetch?: typeof fetch;
  /** Defaults to the isolate-wide breaker. */
  breaker?: CircuitBreaker;
}

export interface CreatedProvider {
  provider: LlmProvider;
  choice: ResolvedModelChoice;
  fallbacks: ResolvedModelChoice[];
}

/** The bare backend for a choice, without retries or fallbacks; SDK backends are shared per isolate unless `deps` inject a fetch. */
export function createBackend(choice: ResolvedModelChoice, env: ProviderEnv, deps: BackendDeps = {}): LlmProvider {
  const shared = deps.fetch === undefined;
  switch (choice.spec.backend) {
    case "anthropic":
      return shared ? cachedBackend(choice, () => createAnthropicBackend(choice)) : createAnthropicBackend(choice, deps);
    case "workers-ai":
      if (!env.AI) throw new NoProviderError("Provider 'workers_ai' needs the Workers AI binding (`[ai] binding = \"AI\"` in wrangler.toml).");
      return createWorkersAiBackend(choice, env.AI as AiBinding);
    default:
      return shared ? cachedBackend(choice, () => createOpenAiBackend(choice)) : createOpenAiBackend(choice, deps);
  }
}

/** `fallbackModels` resolved in order; entries whose provider is not usable are skipped (logged), unknown presets throw. */
export function resolveFallbacks(config: Config, env: ProviderEnv, primary?: ResolvedModelChoice): ResolvedModelChoice[] {
  const out: ResolvedModelChoice[] = [];
  for (const entry of config.agents.defaults.fallbackModels) {
    const { input, preset } = typeof entry === "string" ? choiceInput(config, entry) : { input: entry, preset: null };
    try {
      const choice = resolveChoiceInput(config, env, input, preset);
      if (primary && choice.spec.name === primary.spec.name && choice.model === primary.model) continue;
      out.push(choice);
    } catch (err) {
      if (!(err instanceof NoProviderError)) throw err;
      console.log(JSON.stringify({ event: "llm_fallback_unusable", model: input.model, provider: input.provider, reason: err.message }));
    }
  }
  return out;
}

export function createProvider(options: CreateProviderOptions): CreatedProvider {
  const { config, env } = options;
  const defaults = config.agents.defaults;
  const retry: Partial<RetryOptions> = {
    requestTimeoutMs: defaults.llmTimeoutS * 1000,
    streamIdleTimeoutMs: defaults.streamIdleTimeoutS * 1000,
    ...options.retry,
  };
  const deps: BackendDeps = { fetch: options.fetch };
  const choice = resolveModelChoice(config, env, options.presetName);
  const fallbacks = resolveFallbacks(config, env, choice);
  const target = (c: ResolvedModelChoice): ModelTarget => ({ choice: c, provider: withRetry(createBackend(c, env, deps), retry) });
  const provider = withFallback(target(choice), fallbacks.map(target), options.breaker ?? isolateBreaker);
  return { provider, choice, fallbacks };
}

/** The request fields that come from the model choice. */
export function requestDefaults(choice: ResolvedModelChoice): Pick<ChatRequest, "model" | "maxTokens" | "temperature" | "reasoningEffort"> {
  return { model: choice.model, maxTokens: choice.maxTokens, temperature: choice.temperature, reasoningEffort: choice.reasoningEffort };
}

/** Ids for GET /v1/models: the configured model, then every preset name. */
export function listModelIds(config: Config): string[] {
  return [...new Set([config.agents.defaults.model, ...Object.keys(config.modelPresets)])];
}
