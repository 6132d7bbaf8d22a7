/**
 * Pure translation between the internal chat shape and the Anthropic Messages API: system prompt apart,
 * tool_use / tool_result blocks, same-role messages merged (the API wants strict alternation), prompt-cache
 * markers, extended thinking, and the response back.
 */
import { ProviderError } from "./errors.ts";
import type { ChatMessage, ChatRequest, ChatResponse, ContentPart, FinishReason, ThinkingBlock, ToolCall } from "./types.ts";

type Block = Record<string, unknown>;
interface WireMessage {
  role: "user" | "assistant";
  content: Block[];
}

const CACHE = { type: "ephemeral" } as const;

function partsToBlocks(content: string | ContentPart[]): Block[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  return content
    .filter((p) => p.type !== "text" || p.text !== "")
    .map((p) => (p.type === "text" ? { type: "text", text: p.text } : { type: "image", source: { type: "base64", media_type: p.mimeType, data: p.data } }));
}

function parseInput(args: string): Record<string, unknown> {
  try {
    const value = JSON.parse(args);
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function assistantBlocks(m: Extract<ChatMessage, { role: "assistant" }>): Block[] {
  const blocks: Block[] = [];
  for (const t of m.thinkingBlocks ?? []) blocks.push({ type: "thinking", thinking: t.thinking, signature: t.signature });
  if (m.content) blocks.push({ type: "text", text: m.content });
  for (const c of m.toolCalls ?? []) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: parseInput(c.arguments) });
  return blocks;
}

export function toAnthropicMessages(messages: ChatMessage[]): { system: string; messages: WireMessage[] } {
  const system: string[] = [];
  const out: WireMessage[] = [];
  for (const m of messages) {
    let wire: WireMessage;
    if (m.role === "system") {
      system.push(m.content);
      continue;
    } else if (m.role === "user") wire = { role: "user", content: partsToBlocks(m.content) };
    else if (m.role === "assistant") wire = { role: "assistant", content: assistantBlocks(m) };
    else {
      const content = partsToBlocks(m.content);
      wire = { role: "user", content: [{ type: "tool_result", tool_use_id: m.toolCallId, content: content.length ? content : "(no output)" }] };
    }
    if (wire.content.length === 0) continue;
    const last = out[out.length - 1];
    if (last && last.role === wire.role) last.content.push(...wire.content);
    else out.push(wire);
  }
  return { system: system.join("\n\n"), messages: out };
}

/** Extended-thinking budget per effort (nanobot's table); null = thinking off. */
export function thinkingFor(effort: string | null | undefined, maxTokens: number): { thinking: Block; maxTokens: number } | null {
  if (!effort || effort === "none") return null;
  if (effort === "adaptive") return { thinking: { type: "adaptive" }, maxTokens };
  const budget = effort === "low" ? 1024 : effort === "medium" ? 4096 : effort === "high" ? Math.max(8192, maxTokens) : Math.max(16_384, maxTokens);
  return { thinking: { type: "enabled", budget_tokens: budget }, maxTokens: Math.max(maxTokens, budget + 4096) };
}

export function toAnthropicBody(request: ChatRequest, caching: boolean, extraBody: Record<string, unknown>, stream: boolean): Record<string, unknown> {
  const { system, messages } = toAnthropicMessages(request.messages);
  if (caching && messages.length >= 3) {
    const blocks = messages[messages.length - 2].content;
    blocks[blocks.length - 1] = { ...blocks[blocks.length - 1], cache_control: CACHE };
  }
  const body: Record<string, unknown> = { model: request.model, messages, max_tokens: request.maxTokens };
  if (system) body.system = [{ type: "text", text: system, ...(caching ? { cache_control: CACHE } : {}) }];
  if (request.tools?.length) {
    const tools: Block[] = request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    if (caching) {
      // Built-in tools are stable across turns, MCP tools may come and go: mark both boundaries.
      const lastBuiltIn = request.tools.map((t) => t.name.startsWith("mcp_")).lastIndexOf(false);
      for (const i of new Set([lastBuiltIn, tools.length - 1])) if (i >= 0) tools[i] = { ...tools[i], cache_control: CACHE };
    }
    body.tools = tools;
    const choice = request.toolChoice;
    if (choice) body.tool_choice = typeof choice === "object" ? { type: "tool", name: choice.name } : { type: choice === "required" ? "any" : choice };
  }
  const thinking = thinkingFor(request.reasoningEffort, request.maxTokens);
  if (thinking) {
    body.thinking = thinking.thinking;
    body.max_tokens = thinking.maxTokens;
    // The API requires temperature 1 with thinking on.
    body.temperature = 1;
  } else if (request.temperature !== undefined) body.temperature = request.temperature;
  if (stream) body.stream = true;
  return { ...body, ...extraBody };
}

export function mapStopReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return hasToolCalls ? "tool_calls" : "stop";
  }
}

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

export function mapAnthropicUsage(u: AnthropicUsage | undefined) {
  const cached = u?.cache_read_input_tokens ?? 0;
  return {
    // Anthropic counts cached and cache-writing tokens apart from input_tokens; the prompt is their sum.
    promptTokens: (u?.input_tokens ?? 0) + cached + (u?.cache_creation_input_tokens ?? 0),
    completionTokens: u?.output_tokens ?? 0,
    ...(cached ? { cachedTokens: cached } : {}),
  };
}

export function fromAnthropicMessage(raw: unknown, fallbackModel: string, provider: string): ChatResponse {
  const msg = raw as { content?: unknown; stop_reason?: unknown; usage?: AnthropicUsage; model?: unknown } | null;
  if (!msg || typeof msg !== "object" || !Array.isArray(msg.content))
    throw new ProviderError("bad_response", `${provider}: response has no content blocks`, { provider });
  let text = "";
  let reasoning = "";
  const thinkingBlocks: ThinkingBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of msg.content as Block[]) {
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "thinking" && typeof block.thinking === "string") {
      reasoning += block.thinking;
      thinkingBlocks.push({ thinking: block.thinking, signature: String(block.signature ?? "") });
    } else if (block.type === "tool_use")
      toolCalls.push({ id: String(block.id), name: String(block.name), arguments: JSON.stringify(block.input ?? {}) });
  }
  return {
    content: text || null,
    ...(reasoning ? { reasoning, thinkingBlocks } : {}),
    toolCalls,
    finishReason: mapStopReason(msg.stop_reason, toolCalls.length > 0),
    usage: mapAnthropicUsage(msg.usage),
    model: typeof msg.model === "string" ? msg.model : fallbackModel,
    provider,
  };
}
