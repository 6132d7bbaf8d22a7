import { describe, expect, it } from "vitest";
import { findSpec } from "../../../src/providers/registry.ts";
import type { ResolvedModelChoice } from "../../../src/providers/resolve-model.ts";
import { fromWorkersAiOutput, parseWorkersAiEvent, toWorkersAiInput } from "../../../src/providers/workers-ai-backend.ts";

const choice: ResolvedModelChoice = {
  spec: findSpec("workers_ai")!,
  providerConfig: { apiKey: "", apiBase: null, extraHeaders: {}, extraBody: {} },
  model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
  maxTokens: 500,
  contextWindowTokens: 24_000,
  temperature: 0.2,
  reasoningEffort: null,
  presetName: null,
};

describe("Workers AI mapping", () => {
  it("should build run() input with messages, tools, max_tokens and stream", () => {
    const input = toWorkersAiInput(
      {
        model: choice.model,
        maxTokens: 500,
        temperature: 0.2,
        messages: [
          { role: "system", content: "be brief" },
          { role: "user", content: "hi" },
        ],
        tools: [{ name: "exec", description: "Run", parameters: { type: "object" } }],
      },
      choice,
      true,
    );
    expect(input).toEqual({
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hi" },
      ],
      max_tokens: 500,
      temperature: 0.2,
      tools: [{ type: "function", function: { name: "exec", description: "Run", parameters: { type: "object" } } }],
      stream: true,
    });
  });

  it("should map the classic {response, tool_calls, usage} answer", () => {
    const res = fromWorkersAiOutput(
      { response: null, tool_calls: [{ name: "exec", arguments: { command: "ls" } }], usage: { prompt_tokens: 30, completion_tokens: 5 } },
      choice.model,
    );
    expect(res).toEqual({
      content: null,
      toolCalls: [{ id: "call_0", name: "exec", arguments: '{"command":"ls"}' }],
      finishReason: "tool_calls",
      usage: { promptTokens: 30, completionTokens: 5 },
      model: choice.model,
      provider: "workers_ai",
    });
    expect(fromWorkersAiOutput({ response: "<think>hm</think>Hello" }, choice.model)).toMatchObject({ content: "Hello", reasoning: "hm", finishReason: "stop" });
  });

  it("should map the OpenAI-style answer of newer models", () => {
    const res = fromWorkersAiOutput({ choices: [{ message: { content: "hey", reasoning_content: "r" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1 } }, choice.model);
    expect(res).toMatchObject({ content: "hey", reasoning: "r", provider: "workers_ai" });
  });

  it("should reject an answer with neither text nor tool calls as bad_response", () => {
    expect(() => fromWorkersAiOutput({ result: 1 }, choice.model)).toThrow(expect.objectContaining({ kind: "bad_response" }));
  });

  it("should parse stream events, including the end marker", () => {
    expect(parseWorkersAiEvent('{"response":"Hel","p":"abc"}')).toEqual({ text: "Hel" });
    expect(parseWorkersAiEvent('{"response":"","usage":{"prompt_tokens":3}}')).toEqual({ text: "", usage: { prompt_tokens: 3 } });
    expect(parseWorkersAiEvent("[DONE]")).toBe("done");
    expect(parseWorkersAiEvent("{broken")).toBeNull();
  });
});
