import { describe, expect, it } from "vitest";
import { createBackend } from "../../../src/providers/create-provider.ts";
import { resolveModelChoice } from "../../../src/providers/resolve-model.ts";
import { makeConfig } from "./kit.ts";

const choiceFor = (providers: Record<string, unknown>) => resolveModelChoice(makeConfig({ defaults: { model: "gpt-4o", provider: "openai" }, providers }), {});

describe("SDK backends per isolate", () => {
  it("should share one backend between turns with the same provider settings", () => {
    const a = createBackend(choiceFor({ openai: { apiKey: "sk-same" } }), {});
    const b = createBackend(choiceFor({ openai: { apiKey: "sk-same" } }), {});
    expect(b).toBe(a);
  });

  it("should build a new backend when a provider setting changes", () => {
    const base = createBackend(choiceFor({ openai: { apiKey: "sk-one" } }), {});
    expect(createBackend(choiceFor({ openai: { apiKey: "sk-two" } }), {})).not.toBe(base);
    expect(createBackend(choiceFor({ openai: { apiKey: "sk-one", extraHeaders: { "x-a": "1" } } }), {})).not.toBe(base);
  });

  it("should not share backends built around an injected fetch", () => {
    const fetchA: typeof fetch = async () => new Response("{}");
    const choice = choiceFor({ openai: { apiKey: "sk-fetch" } });
    expect(createBackend(choice, {}, { fetch: fetchA })).not.toBe(createBackend(choice, {}, { fetch: fetchA }));
  });
});
