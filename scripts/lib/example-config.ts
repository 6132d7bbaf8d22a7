import { configSchema } from "../../src/config/schema.ts";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function merge(base: unknown, extra: unknown): unknown {
  if (!isObject(base) || !isObject(extra)) return extra ?? base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = merge(base[k], v);
  return out;
}

/** Every key with its default, plus illustrative values where the default is empty. */
export function exampleConfig(): unknown {
  const defaults = configSchema.parse({});
  return merge(defaults, {
    agents: { defaults: { model: "anthropic/claude-sonnet-4.5", provider: "openrouter", fallbackModels: ["fast"] } },
    modelPresets: {
      fast: { model: "google/gemini-2.5-flash", provider: "openrouter", maxTokens: 4096, contextWindowTokens: 200000, temperature: 0.1, reasoningEffort: null },
    },
    providers: {
      openrouter: { apiKey: "${OPENROUTER_API_KEY}", apiBase: null, extraHeaders: {}, extraBody: {} },
      ollama: { apiKey: "", apiBase: "http://127.0.0.1:11434/v1", extraHeaders: {}, extraBody: {} },
    },
    api: { apiKey: "${NANOBOT_API_KEY}" },
  });
}
