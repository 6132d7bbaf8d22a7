import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createProvider, requestDefaults } from "../../../src/providers/create-provider.ts";
import { CircuitBreaker } from "../../../src/providers/fallback.ts";
import type { ChatRequest } from "../../../src/providers/types.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../../support/llm-script.ts";
import { customConfig, userMessage } from "./kit.ts";

function setup(defaults: Record<string, unknown> = {}) {
  const { provider, choice } = createProvider({
    config: customConfig(defaults),
    // The real Worker env type must be accepted as is.
    env,
    retry: { delaysMs: [] },
    breaker: new CircuitBreaker(),
  });
  const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ ...requestDefaults(choice), messages: [userMessage(text)], ...extra });
  return { provider, choice, request };
}

describe("OpenAI-compatible backend", () => {
  it("should return plain text, usage and the model from a non-streamed answer", async () => {
    const token = uniqueToken("plain");
    await scriptLlm(token, [{ content: "Hello there", usage: { prompt_tokens: 12, completion_tokens: 3 } }]);
    const { provider, request } = setup();
    const res = await provider.chat(request(`hi ${token}`));
    expect(res).toMatchObject({ content: "Hello there", toolCalls: [], finishReason: "stop", model: "test-model", provider: "custom" });
    expect(res.usage).toEqual({ promptTokens: 12, completionTokens: 3 });
    const [sent] = await llmRequests(token);
    expect(sent.body).toMatchObject({ model: "test-model", max_tokens: 256, temperature: 0.1 });
    expect(sent.body.stream).toBeUndefined();
    expect(sent.headers.authorization).toBe("Bearer sk-test");
  });

  it("should stream text deltas in order and assemble the full content", async () => {
    const token = uniqueToken("stream");
    await scriptLlm(token, [{ content: "The quick brown fox jumps", chunkSize: 4 }]);
    const { provider, request } = setup();
    const deltas: string[] = [];
    const res = await provider.chat(request(`go ${token}`, { onDelta: (t) => deltas.push(t) }));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe("The quick brown fox jumps");
    expect(res.content).toBe("The quick brown fox jumps");
    expect(res.finishReason).toBe("stop");
    expect(res.usage.completionTokens).toBe(7);
    const [sent] = await llmRequests(token);
    expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("should assemble streamed tool calls whose arguments arrive split across chunks", async () => {
    const token = uniqueToken("tools");
    await scriptLlm(token, [
      {
        toolCalls: [
          { id: "call_a", name: "read_file", arguments: { path: "notes/today.md", limit: 20 } },
          { id: "call_b", name: "list_dir", arguments: { path: ".", recursive: true } },
        ],
      },
    ]);
    const { provider, request } = setup();
    const res = await provider.chat(
      request(`use tools ${token}`, {
        onDelta: () => {},
        tools: [{ name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } }],
      }),
    );
    expect(res.finishReason).toBe("tool_calls");
    expect(res.toolCalls).toEqual([
      { id: "call_a", name: "read_file", arguments: JSON.stringify({ path: "notes/today.md", limit: 20 }) },
      { id: "call_b", name: "list_dir", arguments: JSON.stringify({ path: ".", recursive: true }) },
    ]);
    const [sent] = await llmRequests(token);
    expect(sent.body.tools[0]).toEqual({
      type: "function",
      function: { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } } } },
    });
  });

  it("should surface reasoning_content separately, streamed and not streamed", async () => {
    const token = uniqueToken("reason");
    await scriptLlm(token, [
      { content: "42", reasoning: "Let me think about the question." },
      { content: "43", reasoning: "Counting carefully, step by step." },
    ]);
    const { provider, request } = setup();
    const plain = await provider.chat(request(`answer ${token}`));
    expect(plain).toMatchObject({ content: "42", reasoning: "Let me think about the question." });
    const thoughts: string[] = [];
    const streamed = await provider.chat(request(`answer ${token}`, { onDelta: () => {}, onReasoningDelta: (t) => thoughts.push(t) }));
    expect(streamed).toMatchObject({ content: "43", reasoning: "Counting carefully, step by step." });
    expect(thoughts.join("")).toBe("Counting carefully, step by step.");
  });

  it("should move inline <think> tags out of the content, also when the tag is split across chunks", async () => {
    const token = uniqueToken("think");
    const text = "<think>The user wants a greeting.</think>\n\nHi!";
    await scriptLlm(token, [{ content: text }, { content: text, chunkSize: 3 }]);
    const { provider, request } = setup();
    const plain = await provider.chat(request(`greet ${token}`));
    expect(plain).toMatchObject({ content: "Hi!", reasoning: "The user wants a greeting." });
    const deltas: string[] = [];
    const streamed = await provider.chat(request(`greet ${token}`, { onDelta: (t) => deltas.push(t) }));
    expect(streamed).toMatchObject({ content: "Hi!", reasoning: "The user wants a greeting." });
    expect(deltas.join("")).toBe("Hi!");
  });

  it("should send images as data URLs and replay assistant tool calls and tool results", async () => {
    const token = uniqueToken("img");
    const { provider, request } = setup();
    await provider.chat(
      request("", {
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: [{ type: "text", text: `look ${token}` }, { type: "image", mimeType: "image/png", data: "iVBORw0KGgo=" }] },
          { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "list_dir", arguments: '{"path":"."}' }] },
          { role: "tool", toolCallId: "c1", name: "list_dir", content: "a.txt" },
        ],
      }),
    );
    const [sent] = await llmRequests(token);
    expect(sent.body.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: [{ type: "text", text: `look ${token}` }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }] },
      { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "list_dir", arguments: '{"path":"."}' } }] },
      { role: "tool", tool_call_id: "c1", content: "a.txt" },
    ]);
  });

  it("should report a malformed response body as bad_response", async () => {
    const token = uniqueToken("garbled");
    await scriptLlm(token, [{ body: "{this is not json" }, { body: JSON.stringify({ id: "x", object: "chat.completion" }) }]);
    const { provider, request } = setup();
    await expect(provider.chat(request(`hi ${token}`))).rejects.toMatchObject({ kind: "bad_response", retryable: false });
    await expect(provider.chat(request(`hi ${token}`))).rejects.toMatchObject({ kind: "bad_response" });
  });

  it("should send extraHeaders, extraBody and max_completion_tokens where the spec asks for it", async () => {
    const token = uniqueToken("extra");
    const { provider, choice } = createProvider({
      config: customConfig(
        { provider: "openai", model: "openai/gpt-4.1-mini" },
        { providers: { openai: { apiKey: "sk-openai-test", apiBase: customConfig().providers.custom.apiBase, extraHeaders: { "x-team": "blue" }, extraBody: { user: "u1" } } } },
      ),
      env: {},
      retry: { delaysMs: [] },
    });
    expect(choice.model).toBe("gpt-4.1-mini");
    await provider.chat({ ...requestDefaults(choice), messages: [userMessage(`hi ${token}`)] });
    const [sent] = await llmRequests(token);
    expect(sent.headers["x-team"]).toBe("blue");
    expect(sent.body).toMatchObject({ model: "gpt-4.1-mini", max_completion_tokens: 256, user: "u1" });
    expect(sent.body.max_tokens).toBeUndefined();
  });
});

describe("OpenAI-compatible prompt caching", () => {
  it("should put cache markers on the system prompt and the message before the newest for OpenRouter", async () => {
    const token = uniqueToken("orcache");
    const { provider, choice } = createProvider({
      config: customConfig({ provider: "openrouter", model: "anthropic/claude-sonnet-4-5" }, { providers: { openrouter: { apiKey: "sk-or-v1-test", apiBase: customConfig().providers.custom.apiBase } } }),
      env: {},
      retry: { delaysMs: [] },
    });
    expect(choice.model).toBe("anthropic/claude-sonnet-4-5");
    await provider.chat({
      ...requestDefaults(choice),
      messages: [
        { role: "system", content: "You are nanobot." },
        { role: "user", content: `earlier ${token}` },
        { role: "assistant", content: "noted" },
        { role: "user", content: "now" },
      ],
    });
    const [sent] = await llmRequests(token);
    expect(sent.body.messages).toEqual([
      { role: "system", content: [{ type: "text", text: "You are nanobot.", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: `earlier ${token}` },
      { role: "assistant", content: [{ type: "text", text: "noted", cache_control: { type: "ephemeral" } }] },
      { role: "user", content: "now" },
    ]);
  });
});
