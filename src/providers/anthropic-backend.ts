/**
 * Anthropic backend through `@anthropic-ai/sdk` (also any Anthropic-compatible endpoint, e.g. a custom
 * provider with `backend: "anthropic"`). Streams raw Messages events when the caller wants deltas.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParamsNonStreaming, MessageCreateParamsStreaming, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { ProviderError } from "./errors.ts";
import { fromAnthropicMessage, mapAnthropicUsage, mapStopReason, toAnthropicBody } from "./anthropic-messages.ts";
import type { ResolvedModelChoice } from "./resolve-model.ts";
import { lazySdkClient, type BackendDeps } from "./sdk-client.ts";
import { toProviderError } from "./sdk-errors.ts";
import type { ChatRequest, ChatResponse, LlmProvider, ThinkingBlock, ToolCall } from "./types.ts";

/** The SDK appends `/v1/messages` itself; a base written OpenAI-style with `/v1` would double it. */
export function anthropicBaseUrl(apiBase: string | null): string | undefined {
  if (!apiBase) return undefined;
  return apiBase.replace(/\/+$/, "").replace(/\/v1$/, "");
}

export function createAnthropicBackend(choice: ResolvedModelChoice, deps: BackendDeps = {}): LlmProvider {
  const { spec, providerConfig } = choice;
  const openClient = lazySdkClient(
    choice,
    deps,
    anthropicBaseUrl(providerConfig.apiBase),
    () => import("./anthropic-sdk.ts"),
    (sdk, options): Anthropic => new sdk.Anthropic(options),
  );
  const name = spec.name;
  return {
    name,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const stream = request.onDelta !== undefined || request.onReasoningDelta !== undefined;
      const body = toAnthropicBody(request, spec.supportsPromptCaching, providerConfig.extraBody, stream);
      try {
        const client = await openClient();
        if (!stream) {
          const raw = await client.messages.create(body as unknown as MessageCreateParamsNonStreaming, { signal: request.signal });
          return fromAnthropicMessage(raw, request.model, name);
        }
        const events = await client.messages.create(body as unknown as MessageCreateParamsStreaming, { signal: request.signal });
        return await assembleAnthropicStream(events, request, name);
      } catch (err) {
        throw toProviderError(err, name);
      }
    },
  };
}

type OpenBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; json: string }
  | { type: "other" };

export async function assembleAnthropicStream(events: AsyncIterable<RawMessageStreamEvent>, request: ChatRequest, provider: string): Promise<ChatResponse> {
  const blocks = new Map<number, OpenBlock>();
  let model = request.model;
  let stop: unknown = null;
  let usage = mapAnthropicUsage(undefined);
  let startUsage: Parameters<typeof mapAnthropicUsage>[0] = {};
  let sawStart = false;

  for await (const event of events) {
    request.onActivity?.();
    switch (event.type) {
      case "message_start":
        sawStart = true;
        model = event.message.model || model;
        startUsage = event.message.usage;
        usage = mapAnthropicUsage(startUsage);
        break;
      case "content_block_start": {
        const b = event.content_block;
        if (b.type === "text") {
          blocks.set(event.index, { type: "text", text: b.text });
          if (b.text) request.onDelta?.(b.text);
        } else if (b.type === "thinking") blocks.set(event.index, { type: "thinking", thinking: b.thinking, signature: b.signature });
        else if (b.type === "tool_use") blocks.set(event.index, { type: "tool_use", id: b.id, name: b.name, json: "" });
        else blocks.set(event.index, { type: "other" });
        break;
      }
      case "content_block_delta": {
        const block = blocks.get(event.index);
        const d = event.delta;
        if (d.type === "text_delta" && block?.type === "text") {
          block.text += d.text;
          request.onDelta?.(d.text);
        } else if (d.type === "thinking_delta" && block?.type === "thinking") {
          block.thinking += d.thinking;
          request.onReasoningDelta?.(d.thinking);
        } else if (d.type === "signature_delta" && block?.type === "thinking") block.signature += d.signature;
        else if (d.type === "input_json_delta" && block?.type === "tool_use") block.json += d.partial_json;
        break;
      }
      case "message_delta":
        stop = event.delta.stop_reason ?? stop;
        usage = mapAnthropicUsage({ ...startUsage, ...event.usage, input_tokens: event.usage.input_tokens ?? startUsage?.input_tokens });
        break;
      default:
        break;
    }
  }
  // The SDK ends the iteration quietly when the signal aborts; a cut-off answer must not pass as complete.
  if (request.signal?.aborted) throw new ProviderError("aborted", `${provider}: stream aborted`, { provider });
  if (!sawStart) throw new ProviderError("bad_response", `${provider}: the stream ended without a message`, { provider });

  let text = "";
  let reasoning = "";
  const thinkingBlocks: ThinkingBlock[] = [];
  const toolCalls: ToolCall[] = [];
  for (const [, b] of [...blocks.entries()].sort(([a], [c]) => a - c)) {
    if (b.type === "text") text += b.text;
    else if (b.type === "thinking") {
      reasoning += b.thinking;
      thinkingBlocks.push({ thinking: b.thinking, signature: b.signature });
    } else if (b.type === "tool_use") toolCalls.push({ id: b.id, name: b.name, arguments: b.json || "{}" });
  }
  return {
    content: text || null,
    ...(reasoning ? { reasoning, thinkingBlocks } : {}),
    toolCalls,
    finishReason: mapStopReason(stop, toolCalls.length > 0),
    usage,
    model,
    provider,
  };
}
