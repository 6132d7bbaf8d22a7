import { describe, expect, it } from "vitest";
import { createProvider, requestDefaults } from "../../../src/providers/create-provider.ts";
import { CircuitBreaker } from "../../../src/providers/fallback.ts";
import type { ChatMessage, ChatRequest, ToolSchema } from "../../../src/providers/types.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../../support/llm-script.ts";
import { llmBase, makeConfig, recordingSleep } from "./kit.ts";

function setup(defaults: Record<string, unknown> = {}) {
  const { sleep, slept } = recordingSleep();
  const { provider, choice } = createProvider({
    config: makeConfig({
      defaults: { provider: "auto", model: "anthropic/claude-sonnet-4-5", maxTokens: 512, ...defaults },
      providers: { anthropic: { apiKey: "sk-ant-test", apiBase: llmBase() } },
    }),
    env: {},
    retry: { sleep },
    breaker: new CircuitBreaker(),
  });
  const request = (messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest => ({ ...requestDefaults(choice), messages, ...extra });
  return { provider, choice, request, slept };
}

const tools: ToolSchema[] = [
  { name: "read_file", description: "Read a file", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } },
  { name: "mcp_notes_search", description: "Search notes", parameters: { type: "object", properties: { q: { type: "string" } } } },
];

function conversation(token: string): ChatMessage[] {
  return [
    { role: "system", content: "You are nanobot." },
    { role: "user", content: `open the notes ${token}` },
    { role: "assistant", content: "Looking.", toolCalls: [{ id: "toolu_1", name: "read_file", arguments: '{"path":"notes.md"}' }] },
    { role: "tool", toolCallId: "toolu_1", name: "read_file", content: "- buy milk" },
    { role: "user", content: "and search for eggs" },
  ];
}

describe("Anthropic backend", () => {
  it("should detect Anthropic from the model, strip the prefix and round-trip tool_use", async () => {
    const token = uniqueToken("anth");
    await scriptLlm(token, [{ content: "Let me search.", toolCalls: [{ id: "toolu_2", name: "mcp_notes_search", arguments: { q: "eggs" } }] }]);
    const { provider, choice, request } = setup();
    expect(choice.spec.name).toBe("anthropic");
    expect(choice.model).toBe("claude-sonnet-4-5");
    const res = await provider.chat(request(conversation(token), { tools }));
    expect(res).toMatchObject({
      content: "Let me search.",
      toolCalls: [{ id: "toolu_2", name: "mcp_notes_search", arguments: '{"q":"eggs"}' }],
      finishReason: "tool_calls",
      usage: { promptTokens: 11, completionTokens: 7 },
      model: "claude-sonnet-4-5",
      provider: "anthropic",
    });

    const [sent] = await llmRequests(token);
    expect(sent.path).toBe("/v1/messages");
    // SDK 1.x sends the key as a bearer token.
    expect(sent.headers.authorization).toBe("Bearer sk-ant-test");
    expect(sent.body.system).toEqual([{ type: "text", text: "You are nanobot.", cache_control: { type: "ephemeral" } }]);
    // tool_result and the next user text merge into one user turn; the turn before the last carries a cache marker.
    expect(sent.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: `open the notes ${token}` }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Looking." },
          { type: "tool_use", id: "toolu_1", name: "read_file", input: { path: "notes.md" }, cache_control: { type: "ephemeral" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "- buy milk" }] },
          { type: "text", text: "and search for eggs" },
        ],
      },
    ]);
    expect(sent.body.tools).toEqual([
      { name: "read_file", description: "Read a file", input_schema: tools[0].parameters, cache_control: { type: "ephemeral" } },
      { name: "mcp_notes_search", description: "Search notes", input_schema: tools[1].parameters, cache_control: { type: "ephemeral" } },
    ]);
    expect(sent.body).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 512, temperature: 0.1 });
  });

  it("should stream text, thinking with its signature, and a tool call", async () => {
    const token = uniqueToken("anthstream");
    await scriptLlm(token, [
      { reasoning: "The user wants eggs.", content: "Searching your notes now.", chunkSize: 5, toolCalls: [{ id: "toolu_9", name: "mcp_notes_search", arguments: { q: "eggs" } }] },
    ]);
    const { provider, request } = setup({ reasoningEffort: "low" });
    const deltas: string[] = [];
    const thoughts: string[] = [];
    const res = await provider.chat(request(conversation(token), { tools, onDelta: (t) => deltas.push(t), onReasoningDelta: (t) => thoughts.push(t) }));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Searching your notes now.");
    expect(thoughts.join("")).toBe("The user wants eggs.");
    expect(res).toMatchObject({
      content: "Searching your notes now.",
      reasoning: "The user wants eggs.",
      thinkingBlocks: [{ thinking: "The user wants eggs.", signature: "sig" }],
      toolCalls: [{ id: "toolu_9", name: "mcp_notes_search", arguments: '{"q":"eggs"}' }],
      finishReason: "tool_calls",
    });
    const [sent] = await llmRequests(token);
    expect(sent.body).toMatchObject({ stream: true, thinking: { type: "enabled", budget_tokens: 1024 }, max_tokens: 5120, temperature: 1 });
  });

  it("should replay signed thinking blocks ahead of the text in assistant turns", async () => {
    const token = uniqueToken("replay");
    const { provider, request } = setup();
    await provider.chat(
      request([
        { role: "user", content: `first ${token}` },
        { role: "assistant", content: "Done.", reasoning: "hmm", thinkingBlocks: [{ thinking: "hmm", signature: "s1" }] },
        { role: "user", content: "next" },
      ]),
    );
    const [sent] = await llmRequests(token);
    expect(sent.body.messages[1].content.slice(0, 2)).toEqual([
      { type: "thinking", thinking: "hmm", signature: "s1" },
      { type: "text", text: "Done.", cache_control: { type: "ephemeral" } },
    ]);
  });

  it("should retry an overloaded 529 and map errors like the OpenAI backend", async () => {
    const token = uniqueToken("overload");
    await scriptLlm(token, [
      { status: 529, body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) },
      { content: "back" },
      { status: 401, body: JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }) },
    ]);
    const { provider, request, slept } = setup();
    expect((await provider.chat(request([{ role: "user", content: `hi ${token}` }]))).content).toBe("back");
    expect(slept).toEqual([1000]);
    await expect(provider.chat(request([{ role: "user", content: `hi ${token}` }]))).rejects.toMatchObject({ kind: "auth", status: 401 });
  });
});
