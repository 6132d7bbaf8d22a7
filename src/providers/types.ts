/**
 * The one internal shape every provider backend speaks. Backends translate to and from their wire format;
 * the runner, the session store and the API only ever see these types.
 */

export type ContentPart =
  | { type: "text"; text: string }
  /** `data` is base64 without the data-URL prefix. */
  | { type: "image"; mimeType: string; data: string };

export interface ToolCall {
  id: string;
  name: string;
  /** Raw JSON text exactly as the model produced it (may be invalid JSON). */
  arguments: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | ContentPart[] }
  | {
      role: "assistant";
      content: string | null;
      toolCalls?: ToolCall[];
      reasoning?: string;
      /** Anthropic thinking blocks with their signatures, replayed verbatim (copy from ChatResponse). */
      thinkingBlocks?: ThinkingBlock[];
    }
  | { role: "tool"; toolCallId: string; name: string; content: string | ContentPart[] };

/** A signed Anthropic thinking block; the signature lets the API verify it when it is sent back. */
export interface ThinkingBlock {
  thinking: string;
  signature: string;
}

/** JSON Schema description of one tool, as sent to the model. */
export interface ToolSchema {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** OpenAI's `tool_choice`: let the model decide, forbid tools, force some tool, or force one named tool. */
export type ToolChoice = "auto" | "none" | "required" | { name: string };

export type FinishReason = "stop" | "tool_calls" | "length" | "content_filter" | "error";

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSchema[];
  toolChoice?: ToolChoice;
  maxTokens: number;
  temperature?: number;
  reasoningEffort?: string | null;
  signal?: AbortSignal;
  /** Called with each text delta when streaming; a provider that cannot stream calls it once. */
  onDelta?: (text: string) => void;
  onReasoningDelta?: (text: string) => void;
  /** Called on every stream event (text, reasoning or tool-call pieces); keeps the stream-idle timer alive. */
  onActivity?: () => void;
}

export interface ChatResponse {
  content: string | null;
  reasoning?: string;
  thinkingBlocks?: ThinkingBlock[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: TokenUsage;
  /** The model that actually answered (a fallback may differ from the request). */
  model: string;
  /** Registry name of the provider that answered. */
  provider?: string;
}

export interface LlmProvider {
  /** Registry name, e.g. "openrouter". */
  readonly name: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
}
