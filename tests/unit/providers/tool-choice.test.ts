import { describe, expect, it } from "vitest";
import { createProvider, requestDefaults } from "../../../src/providers/create-provider.ts";
import { CircuitBreaker } from "../../../src/providers/fallback.ts";
import type { ToolChoice, ToolSchema } from "../../../src/providers/types.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../../support/llm-script.ts";
import { llmBase, makeConfig, recordingSleep } from "./kit.ts";

const tools: ToolSchema[] = [{ name: "client_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } }];

/** The wire form of an API request's tool_choice, as each backend sends it to its provider. */
async function sentChoice(model: string, providers: Record<string, unknown>, toolChoice: ToolChoice): Promise<unknown> {
  const token = uniqueToken("choice");
  await scriptLlm(token, [{ content: "ok" }]);
  const { provider, choice } = createProvider({
    config: makeConfig({ defaults: { provider: "auto", model, maxTokens: 256 }, providers }),
    env: {},
    retry: { sleep: recordingSleep().sleep },
    breaker: new CircuitBreaker(),
  });
  await provider.chat({ ...requestDefaults(choice), messages: [{ role: "user", content: token }], tools, toolChoice });
  return (await llmRequests(token))[0].body.tool_choice;
}

describe("tool_choice on the wire", () => {
  const anthropic = { anthropic: { apiKey: "sk-ant-test", apiBase: llmBase() } };
  const openai = { openai: { apiKey: "sk-test", apiBase: llmBase() } };

  it("should map to Anthropic's tool_choice", async () => {
    expect(await sentChoice("anthropic/claude-sonnet-4-5", anthropic, "required")).toEqual({ type: "any" });
    expect(await sentChoice("anthropic/claude-sonnet-4-5", anthropic, "none")).toEqual({ type: "none" });
    expect(await sentChoice("anthropic/claude-sonnet-4-5", anthropic, { name: "client_weather" })).toEqual({ type: "tool", name: "client_weather" });
  });

  it("should pass through to OpenAI-compatible providers", async () => {
    expect(await sentChoice("openai/gpt-4o", openai, "required")).toBe("required");
    expect(await sentChoice("openai/gpt-4o", openai, { name: "client_weather" })).toEqual({ type: "function", function: { name: "client_weather" } });
  });
});
