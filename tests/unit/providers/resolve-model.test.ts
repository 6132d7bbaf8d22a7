import { describe, expect, it } from "vitest";
import { listModelIds } from "../../../src/providers/create-provider.ts";
import { NoProviderError, UnknownPresetError } from "../../../src/providers/errors.ts";
import { PROVIDERS } from "../../../src/providers/registry.ts";
import { resolveModelChoice, type ProviderEnv } from "../../../src/providers/resolve-model.ts";
import { makeConfig } from "./kit.ts";

const AI = { run: async () => ({ response: "" }) };

interface Row {
  name: string;
  model: string;
  provider?: string;
  providers?: Record<string, unknown>;
  env?: ProviderEnv;
  expect: { spec: string; model: string; apiBase: string | null; apiKey?: string };
}

const table: Row[] = [
  {
    name: "explicit provider wins over keywords",
    model: "claude-sonnet-4-5",
    provider: "openrouter",
    providers: { openrouter: { apiKey: "sk-or-1" }, anthropic: { apiKey: "sk-ant-1" } },
    expect: { spec: "openrouter", model: "claude-sonnet-4-5", apiBase: "https://openrouter.ai/api/v1" },
  },
  {
    name: "model prefix naming a configured provider, prefix stripped",
    model: "deepseek/deepseek-chat",
    providers: { openrouter: { apiKey: "sk-or-1" }, deepseek: { apiKey: "sk-ds" } },
    expect: { spec: "deepseek", model: "deepseek-chat", apiBase: "https://api.deepseek.com" },
  },
  {
    name: "model prefix naming a custom provider",
    model: "myllm/llama-3-8b",
    providers: { openrouter: { apiKey: "sk-or-1" }, myllm: { apiBase: "http://10.0.0.5:8000/v1" } },
    expect: { spec: "myllm", model: "llama-3-8b", apiBase: "http://10.0.0.5:8000/v1" },
  },
  {
    name: "gateway keeps the vendor prefix when the vendor itself is not configured",
    model: "anthropic/claude-opus-4-5",
    providers: { openrouter: { apiKey: "sk-or-1" } },
    expect: { spec: "openrouter", model: "anthropic/claude-opus-4-5", apiBase: "https://openrouter.ai/api/v1" },
  },
  {
    name: "keyword match in registry order",
    model: "claude-sonnet-4-5",
    providers: { anthropic: { apiKey: "sk-ant-1" }, openai: { apiKey: "sk-oa" } },
    expect: { spec: "anthropic", model: "claude-sonnet-4-5", apiBase: null },
  },
  {
    name: "key from the Worker env when the config has none",
    model: "gemini-2.5-flash",
    env: { GEMINI_API_KEY: "AIza-env" },
    expect: { spec: "gemini", model: "gemini-2.5-flash", apiBase: "https://generativelanguage.googleapis.com/v1beta/openai/", apiKey: "AIza-env" },
  },
  {
    name: "configured local server preferred by its base keyword",
    model: "llama3.2",
    providers: { vllm: { apiBase: "http://10.1.1.1:8000/v1" }, ollama: { apiBase: "http://10.1.1.2:11434/v1" } },
    expect: { spec: "ollama", model: "llama3.2", apiBase: "http://10.1.1.2:11434/v1" },
  },
  {
    name: "first provider with a key, gateways first",
    model: "some-model",
    providers: { groq: { apiKey: "gsk_1" }, openrouter: { apiKey: "sk-or-1" } },
    expect: { spec: "openrouter", model: "some-model", apiBase: "https://openrouter.ai/api/v1" },
  },
  {
    name: "a gateway key in another provider's slot goes to the gateway's base",
    model: "gpt-4.1",
    providers: { openai: { apiKey: "sk-or-v1-abc" } },
    expect: { spec: "openai", model: "gpt-4.1", apiBase: "https://openrouter.ai/api/v1" },
  },
  {
    name: "custom endpoint with only an apiBase",
    model: "local-model",
    providers: { custom: { apiBase: "http://10.0.0.9/v1" } },
    expect: { spec: "custom", model: "local-model", apiBase: "http://10.0.0.9/v1", apiKey: "" },
  },
  {
    name: "Workers AI model keyword when the AI binding exists",
    model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    providers: { openrouter: { apiKey: "sk-or-1" } },
    env: { AI },
    expect: { spec: "workers_ai", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", apiBase: null },
  },
  {
    name: "Workers AI as the zero-key default",
    model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    env: { AI },
    expect: { spec: "workers_ai", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast", apiBase: null },
  },
];

describe("model choice resolution", () => {
  for (const row of table)
    it(`should pick ${row.expect.spec} (${row.name})`, () => {
      const config = makeConfig({ defaults: { model: row.model, provider: row.provider ?? "auto" }, providers: row.providers });
      const choice = resolveModelChoice(config, row.env ?? {});
      expect({ spec: choice.spec.name, model: choice.model, apiBase: choice.providerConfig.apiBase }).toEqual({
        spec: row.expect.spec,
        model: row.expect.model,
        apiBase: row.expect.apiBase,
      });
      if (row.expect.apiKey !== undefined) expect(choice.providerConfig.apiKey).toBe(row.expect.apiKey);
    });

  it("should give an instruction a chat user can act on when nothing is configured", () => {
    const err = (() => {
      try {
        resolveModelChoice(makeConfig({}), {});
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NoProviderError);
    expect((err as NoProviderError).kind).toBe("no_provider");
    expect((err as NoProviderError).userMessage).toBe(
      "No LLM provider is configured. Set providers.openrouter.apiKey (or another provider) in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.",
    );
  });

  it("should name the missing key when an explicit provider has none", () => {
    const config = makeConfig({ defaults: { model: "x", provider: "openrouter" } });
    expect(() => resolveModelChoice(config, {})).toThrow(
      "Provider 'openrouter' is selected but has no API key. Set providers.openrouter.apiKey (or the OPENROUTER_API_KEY secret) in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.",
    );
  });

  it("should reject an unknown provider name and list the known ones", () => {
    const config = makeConfig({ defaults: { model: "x", provider: "nope" } });
    expect(() => resolveModelChoice(config, {})).toThrow(/Unknown provider 'nope'\. Use one of custom, openrouter, .*workers_ai/);
  });

  it("should resolve presets: by argument, from agents.defaults.modelPreset, and 'default'", () => {
    const config = makeConfig({
      defaults: { model: "base-model", provider: "custom", modelPreset: "fast", maxTokens: 2048 },
      providers: { custom: { apiKey: "k", apiBase: "http://10.0.0.1/v1" } },
      modelPresets: { fast: { model: "m-fast", provider: "custom", maxTokens: 300, reasoningEffort: "low" }, deep: { model: "m-deep", provider: "custom" } },
    });
    expect(resolveModelChoice(config, {})).toMatchObject({ model: "m-fast", maxTokens: 300, reasoningEffort: "low", presetName: "fast" });
    expect(resolveModelChoice(config, {}, "deep")).toMatchObject({ model: "m-deep", maxTokens: 8192, presetName: "deep" });
    expect(resolveModelChoice(config, {}, "default")).toMatchObject({ model: "base-model", maxTokens: 2048, presetName: null });
    expect(resolveModelChoice(config, {}, null)).toMatchObject({ model: "base-model", presetName: null });
  });

  it("should throw a typed error naming an unknown preset and the available ones", () => {
    const config = makeConfig({ modelPresets: { fast: { model: "m-fast" } } });
    const err = (() => {
      try {
        resolveModelChoice(config, {}, "turbo");
      } catch (e) {
        return e;
      }
    })() as UnknownPresetError;
    expect(err).toBeInstanceOf(UnknownPresetError);
    expect(err.presetName).toBe("turbo");
    expect(err.available).toEqual(["default", "fast"]);
    expect(err.userMessage).toBe("Unknown model preset 'turbo'. Available presets: default, fast.");
  });

  it("should list the configured model and the preset names for /v1/models", () => {
    const config = makeConfig({ defaults: { model: "test-model" }, modelPresets: { fast: { model: "m-fast" }, deep: { model: "m-deep" } } });
    expect(listModelIds(config)).toEqual(["test-model", "fast", "deep"]);
  });

  it("should cover every provider the project promises, each exactly once", () => {
    const names = PROVIDERS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const required of ["custom", "openrouter", "openai", "anthropic", "deepseek", "gemini", "groq", "moonshot", "dashscope", "zhipu", "siliconflow", "volcengine", "minimax", "mistral", "ollama", "vllm", "lm_studio", "workers_ai"])
      expect(names).toContain(required);
  });
});
