/**
 * Pure translation between the internal chat shape and the OpenAI chat-completions wire format
 * (request body, non-streamed response, usage). The streaming assembly lives in openai-backend.ts.
 */
import { ProviderError } from "./errors.ts";
import type { ProviderSpec } from "./registry.ts";
import { splitThinkTags } from "./think-tags.ts";
import type { ChatMessage, ChatRequest, ChatResponse, ContentPart, FinishReason, TokenUsage, ToolCall } from "./types.ts";

type Json = Record<string, unknown>;

function partsToOpenAi(parts: ContentPart[]): Json[] {
  return parts.map((p) =>
    p.type === "text" ? { type: "text", text: p.text } : { type: "image_url", image_url: { url: `data:${p.mimeType};base64,${p.data}` } },
  );
}

/** Tool results are text on this API; images inside them become a placeholder. */
function partsToText(content: string | ContentPart[]): string {
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : `[image: ${p.mimeType}]`)).join("\n");
}

export function toOpenAiMessages(messages: ChatMessage[], spec: ProviderSpec): Json[] {
  return messages.map((m): Json => {
    switch (m.role) {
      case "system":
        return { role: "system", content: m.content };
      case "user":
        return { role: "user", content: typeof m.content === "string" ? m.content : partsToOpenAi(m.content) };
      case "assistant": {
        const out: Json = { role: "assistant", content: m.content };
        if (m.toolCalls?.length)
          out.tool_calls = m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } }));
        if (spec.replayReasoning && m.reasoning) out.reasoning_content = m.reasoning;
        return out;
      }
      case "tool":
        return { role: "tool", tool_call_id: m.toolCallId, content: partsToText(m.content) };
    }
  });
}

const CACHE = { type: "ephemeral" } as const;

/** Puts a cache marker on the last content part of a message (string content becomes one text part). */
function markForCache(message: Json): void {
  const content = message.content;
  if (typeof content === "string" && content) message.content = [{ type: "text", text: content, cache_control: CACHE }];
  else if (Array.isArray(content) && content.length) content[content.length - 1] = { ...content[content.length - 1], cache_control: CACHE };
}

/**
 * Gateways that forward to caching models (OpenRouter → Anthropic/Gemini) take the same breakpoints as the
 * Anthropic backend: the system prompt and the message before the newest one.
 */
export function applyCacheMarkers(messages: Json[]): Json[] {
  const system = messages.find((m) => m.role === "system");
  if (system) markForCache(system);
  if (messages.length >= 3) markForCache(messages[messages.length - 2]);
  return messages;
}

/** Provider-specific thinking switches (see ThinkingStyle in registry.ts). */
export function thinkingParams(spec: ProviderSpec, effort: string | null | undefined): Json {
  if (!effort) return {};
  const off = effort === "none";
  switch (spec.thinkingStyle) {
    case "reasoning_effort":
      return off || effort === "adaptive" ? {} : { reasoning_effort: effort === "xhigh" || effort === "max" ? "high" : effort };
    case "gateway":
      return off ? { reasoning: { enabled: false } } : { reasoning: { effort: effort === "adaptive" ? "medium" : effort } };
    case "thinking_type":
      return { thinking: { type: off ? "disabled" : "enabled" } };
    case "enable_thinking":
      return { enable_thinking: !off };
    case "reasoning_split":
      return { reasoning_split: true };
    default:
      return {};
  }
}

export function toOpenAiBody(request: ChatRequest, spec: ProviderSpec, extraBody: Json, stream: boolean): Json {
  const body: Json = {
    model: request.model,
    messages: spec.supportsPromptCaching ? applyCacheMarkers(toOpenAiMessages(request.messages, spec)) : toOpenAiMessages(request.messages, spec),
    [spec.maxTokensParam]: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...thinkingParams(spec, request.reasoningEffort),
  };
  if (request.tools?.length)
    body.tools = request.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
  if (request.toolChoice)
    body.tool_choice = typeof request.toolChoice === "string" ? request.toolChoice : { type: "function", function: { name: request.toolChoice.name } };
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return { ...body, ...extraBody };
}

export function mapFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case "length":
      return "length";
    case "content_filter":
      return "content_filter";
    case "tool_calls":
    case "function_call":
      return "tool_calls";
    default:
      // Some servers answer "stop" (or nothing) next to tool calls; the calls are what matters.
      return hasToolCalls ? "tool_calls" : "stop";
  }
}

export function mapUsage(usage: unknown): TokenUsage {
  const u = (usage ?? {}) as {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
    prompt_cache_hit_tokens?: number;
  };
  const cached = u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens;
  return {
    promptTokens: u.prompt_tokens ?? 0,
    completionTokens: u.completion_tokens ?? 0,
    ...(cached ? { cachedTokens: cached } : {}),
  };
}

/** Joins reasoning fields and inline think tags; content keeps only the answer. */
export function separateReasoning(content: string | null, reasoningField: string | undefined): { content: string | null; reasoning?: string } {
  let reasoning = reasoningField ?? "";
  let text = content;
  if (text && /<(think|thinking|thought)>/.test(text)) {
    const split = splitThinkTags(text);
    reasoning += split.reasoning;
    text = split.content.trimStart();
  }
  return { content: text === "" && content !== "" ? null : text, ...(reasoning ? { reasoning } : {}) };
}

export function fromOpenAiResponse(raw: unknown, fallbackModel: string, provider: string): ChatResponse {
  const body = raw as { choices?: unknown; model?: unknown; usage?: unknown } | null;
  const choice = Array.isArray(body?.choices) ? (body.choices[0] as { message?: Json; finish_reason?: unknown } | undefined) : undefined;
  if (!body || typeof body !== "object" || !choice?.message)
    throw new ProviderError("bad_response", `${provider}: response has no choices[0].message`, { provider });
  const message = choice.message as {
    content?: unknown;
    reasoning_content?: unknown;
    reasoning?: unknown;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: unknown } }>;
  };
  const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((c, i) => ({
    id: c.id || `call_${i}`,
    name: c.function?.name ?? "",
    arguments: typeof c.function?.arguments === "string" ? c.function.arguments : JSON.stringify(c.function?.arguments ?? {}),
  }));
  const reasoningField = [message.reasoning_content, message.reasoning].find((r): r is string => typeof r === "string" && r !== "");
  const { content, reasoning } = separateReasoning(typeof message.content === "string" ? message.content : null, reasoningField);
  return {
    content,
    ...(reasoning ? { reasoning } : {}),
    toolCalls,
    finishReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    usage: mapUsage(body.usage),
    model: typeof body.model === "string" ? body.model : fallbackModel,
    provider,
  };
}
