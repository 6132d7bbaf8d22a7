import { describe, expect, it } from "vitest";
import { loadConfigFrom } from "../../../src/config/load-config.ts";

const load = (bundled: unknown, override?: unknown, env: Record<string, unknown> = {}) =>
  loadConfigFrom(bundled, override === undefined ? undefined : JSON.stringify(override), env);

describe("config loading", () => {
  it("should fill nanobot's agent defaults for an empty config", () => {
    const result = load({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const d = result.config.agents.defaults;
    expect(d.maxToolIterations).toBe(200);
    expect(d.maxToolResultChars).toBe(16000);
    expect(d.fallbackModels).toEqual([]);
    expect(result.config.agents.isolation).toBe("agent");
    expect(result.config.tools.exec.timeout).toBe(60);
  });

  it("should let NANOBOT_CONFIG override the bundled file key by key", () => {
    const result = load({ agents: { defaults: { model: "a", maxTokens: 100 } } }, { agents: { defaults: { maxTokens: 200 } } });
    expect(result.ok && result.config.agents.defaults).toMatchObject({ model: "a", maxTokens: 200 });
  });

  it("should accept snake_case keys but keep provider names as written", () => {
    const result = load({ agents: { defaults: { max_tokens: 77, context_window_tokens: 9000 } }, providers: { lm_studio: { api_base: "http://x" } } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.agents.defaults.maxTokens).toBe(77);
    expect(result.config.agents.defaults.contextWindowTokens).toBe(9000);
    expect(result.config.providers.lm_studio.apiBase).toBe("http://x");
  });

  it("should name the path and the expected type of an invalid value", () => {
    const result = load({ agents: { defaults: { maxTokens: "lots" } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^agents\.defaults\.maxTokens: expected number/);
  });

  it("should interpolate ${VAR} from the env and name the path of a missing one", () => {
    const ok = load({ providers: { openrouter: { apiKey: "${OR_KEY}-x" } } }, undefined, { OR_KEY: "sk-or-1" });
    expect(ok.ok && ok.config.providers.openrouter.apiKey).toBe("sk-or-1-x");
    const missing = load({ providers: { openrouter: { apiKey: "${NOPE}" } } });
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.error.message).toMatch(/^providers\.openrouter\.apiKey: environment variable 'NOPE' is not set \(locally: add NOPE=… to \.dev\.vars/);
    expect(missing.error.message).toContain("deployed: npx wrangler secret put NOPE --env production");
  });

  it("should reject an unknown model preset and malformed NANOBOT_CONFIG JSON", () => {
    const preset = load({ agents: { defaults: { modelPreset: "ghost" } } });
    expect(!preset.ok && preset.error.message).toContain("agents.defaults.modelPreset: unknown preset 'ghost'");
    const broken = loadConfigFrom({}, "{not json", {});
    expect(!broken.ok && broken.error.message).toBe("NANOBOT_CONFIG: line 1, column 2: property names must be in double quotes");
  });
});
