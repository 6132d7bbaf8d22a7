/** Shared helpers for the provider tests: configs that point at the stand-in LLM, and a sleep that records. */
import { configSchema, type Config } from "../../../src/config/schema.ts";
import type { Sleep } from "../../../src/providers/retry.ts";
import { standIns } from "../../support/llm-script.ts";

export const llmBase = () => `${standIns().llm}/v1`;

/** A parsed config; `defaults` goes to agents.defaults. */
export function makeConfig(parts: { defaults?: Record<string, unknown>; providers?: Record<string, unknown>; modelPresets?: Record<string, unknown> }): Config {
  return configSchema.parse({
    agents: { defaults: parts.defaults ?? {} },
    providers: parts.providers ?? {},
    modelPresets: parts.modelPresets ?? {},
  });
}

/** The usual test setup: the `custom` provider at the stand-in LLM. */
export function customConfig(defaults: Record<string, unknown> = {}, extra: { modelPresets?: Record<string, unknown>; providers?: Record<string, unknown> } = {}): Config {
  return makeConfig({
    defaults: { provider: "custom", model: "test-model", maxTokens: 256, ...defaults },
    providers: { custom: { apiKey: "sk-test", apiBase: llmBase() }, ...(extra.providers ?? {}) },
    modelPresets: extra.modelPresets,
  });
}

/** Resolves at once and remembers every requested delay. */
export function recordingSleep(): { sleep: Sleep; slept: number[] } {
  const slept: number[] = [];
  return { slept, sleep: async (ms) => void slept.push(ms) };
}

export const userMessage = (text: string) => ({ role: "user" as const, content: text });
