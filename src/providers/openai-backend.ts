/**
 * OpenAI-compatible backend through the official `openai` SDK: OpenAI, OpenRouter, DeepSeek, Gemini, Groq,
 * local servers and any custom endpoint. Streams when the caller wants deltas, otherwise one JSON answer.
 * The client is set up in sdk-client.ts, as for the Anthropic backend.
 */
import type OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from "openai/resources/chat/completions";
import { ProviderError } from "./errors.ts";
import { fromOpenAiResponse, mapFinishReason, mapUsage, toOpenAiBody } from "./openai-messages.ts";
import type { ResolvedModelChoice } from "./resolve-model.ts";
import { lazySdkClient, type BackendDeps } from "./sdk-client.ts";
import { toProviderError } from "./sdk-errors.ts";
import { ThinkTagStream } from "./think-tags.ts";
import type { ChatRequest, ChatResponse, LlmProvider, TokenUsage, ToolCall } from "./types.ts";

export function createOpenAiBackend(choice: ResolvedModelChoice, deps: BackendDeps = {}): LlmProvider {
  const { spec, providerConfig } = choice;
  const openClient = lazySdkClient(
    choice,
    deps,
    providerConfig.apiBase ?? undefined,
    () => import("./openai-sdk.ts"),
    (sdk, options): OpenAI => new sdk.OpenAI(options),
  );
  const name = spec.name;

  return {
    name,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const stream = request.onDelta !== undefined || request.onReasoningDelta !== undefined;
      const body = toOpenAiBody(request, spec, providerConfig.extraBody, stream);
      try {
        const client = await openClient();
        if (!stream) {
          const raw = await client.chat.completions.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal: request.signal });
          return fromOpenAiResponse(raw, request.model, name);
        }
        const chunks = await client.chat.completions.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal: request.signal });
        return await assembleStream(chunks, request, name);
      } catch (err) {
        throw toProviderError(err, name);
      }
    },
  };
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

type ChunkDelta = ChatCompletionChunk.Choice["delta"] & { reasoning_content?: unknown; reasoning?: unknown };

/** Folds SSE chunks into one ChatResponse, forwarding text and reasoning deltas as they arrive. */
export async function assembleStream(chunks: AsyncIterable<ChatCompletionChunk>, request: ChatRequest, provider: string): Promise<ChatResponse> {
  const tags = new ThinkTagStream();
  const calls = new Map<number, PartialCall>();
  let content = "";
  let reasoning = "";
  let finish: unknown = null;
  let usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
  let model = request.model;
  let events = 0;

  const emitText = (piece: { content: string; reasoning: string }) => {
    if (piece.reasoning) {
      reasoning += piece.reasoning;
      request.onReasoningDelta?.(piece.reasoning);
    }
    if (piece.content) {
      // Text after a closing think tag usually starts with blank lines; the user should not see them.
      const text = content === "" && reasoning ? piece.content.trimStart() : piece.content;
      if (text) {
        content += text;
        request.onDelta?.(text);
      }
    }
  };

  for await (const chunk of chunks) {
    events++;
    request.onActivity?.();
    const errorField = (chunk as { error?: unknown }).error;
    if (errorField) throw new ProviderError("server", `${provider}: stream error ${JSON.stringify(errorField).slice(0, 300)}`, { provider });
    if (chunk.usage) usage = mapUsage(chunk.usage);
    if (typeof chunk.model === "string" && chunk.model) model = chunk.model;
    for (const choice of chunk.choices ?? []) {
      const delta = (choice.delta ?? {}) as ChunkDelta;
      const thought = [delta.reasoning_content, delta.reasoning].find((r): r is string => typeof r === "string" && r !== "");
      if (thought) emitText({ content: "", reasoning: thought });
      if (typeof delta.content === "string" && delta.content) emitText(tags.push(delta.content));
      for (const tc of delta.tool_calls ?? []) {
        const index = typeof tc.index === "number" ? tc.index : calls.size;
        const call = calls.get(index) ?? { id: "", name: "", arguments: "" };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name ||= tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(index, call);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  }
  // The SDK ends the iteration quietly when the signal aborts; a cut-off answer must not pass as complete.
  if (request.signal?.aborted) throw new ProviderError("aborted", `${provider}: stream aborted`, { provider });
  emitText(tags.end());

  const toolCalls: ToolCall[] = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, c]) => ({ id: c.id || `call_${i}`, name: c.name, arguments: c.arguments }));
  if (events === 0 || (finish === null && !content && !reasoning && toolCalls.length === 0))
    throw new ProviderError("bad_response", `${provider}: the stream ended without an answer`, { provider });
  return {
    content: content === "" ? null : content,
    ...(reasoning ? { reasoning } : {}),
    toolCalls,
    finishReason: mapFinishReason(finish, toolCalls.length > 0),
    usage,
    model,
    provider,
  };
}
