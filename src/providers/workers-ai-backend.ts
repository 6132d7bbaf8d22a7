/**
 * Workers AI through the `AI` binding (env.AI.run): the zero-key default once deployed. Text streams when
 * there are no tools; with tools the call is non-streamed (Workers AI does not stream tool calls for most
 * models) and the text is handed to onDelta once. Answers come in two shapes, both handled: the classic
 * `{response, tool_calls, usage}` and OpenAI-style `{choices: [...]}` (newer models).
 */
import { ProviderError } from "./errors.ts";
import { fromOpenAiResponse, mapUsage, separateReasoning, toOpenAiMessages } from "./openai-messages.ts";
import type { ResolvedModelChoice } from "./resolve-model.ts";
import { sseData } from "../sse-data.ts";
import type { ChatRequest, ChatResponse, LlmProvider, ToolCall } from "./types.ts";

/** The slice of the `Ai` binding used here (its generated model map is too large to type every call). */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export function toWorkersAiInput(request: ChatRequest, choice: ResolvedModelChoice, stream: boolean): Record<string, unknown> {
  const input: Record<string, unknown> = {
    messages: toOpenAiMessages(request.messages, choice.spec),
    max_tokens: request.maxTokens,
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...choice.providerConfig.extraBody,
  };
  if (request.tools?.length)
    input.tools = request.tools.map((t) => ({ type: "function", function: { name: t.name, description: t.description, parameters: t.parameters } }));
  if (stream) input.stream = true;
  return input;
}

interface ClassicCall {
  id?: string;
  name?: string;
  arguments?: unknown;
  function?: { name?: string; arguments?: unknown };
}

const argsText = (a: unknown) => (typeof a === "string" ? a : JSON.stringify(a ?? {}));

export function fromWorkersAiOutput(output: unknown, model: string): ChatResponse {
  if (output && typeof output === "object" && "choices" in output) return fromOpenAiResponse(output, model, "workers_ai");
  const o = output as { response?: unknown; tool_calls?: ClassicCall[]; usage?: unknown } | null;
  if (!o || typeof o !== "object" || (o.response === undefined && !Array.isArray(o.tool_calls)))
    throw new ProviderError("bad_response", "workers_ai: answer has neither `response` nor `tool_calls`", { provider: "workers_ai" });
  const toolCalls: ToolCall[] = (o.tool_calls ?? []).map((c, i) => ({
    id: c.id ?? `call_${i}`,
    name: c.function?.name ?? c.name ?? "",
    arguments: argsText(c.function?.arguments ?? c.arguments),
  }));
  // Some models answer structured JSON in `response`; the runner wants text.
  const text = o.response === undefined || o.response === null ? null : typeof o.response === "string" ? o.response : JSON.stringify(o.response);
  const { content, reasoning } = separateReasoning(text, undefined);
  return {
    content: content || null,
    ...(reasoning ? { reasoning } : {}),
    toolCalls,
    finishReason: toolCalls.length ? "tool_calls" : "stop",
    usage: mapUsage(o.usage),
    model,
    provider: "workers_ai",
  };
}

/** One SSE `data:` payload of a Workers AI text stream → its text piece and usage, or "done". */
export function parseWorkersAiEvent(data: string): { text: string; usage?: unknown } | "done" | null {
  if (data.trim() === "[DONE]") return "done";
  try {
    const event = JSON.parse(data) as { response?: unknown; usage?: unknown; choices?: Array<{ delta?: { content?: unknown } }> };
    const text = typeof event.response === "string" ? event.response : typeof event.choices?.[0]?.delta?.content === "string" ? (event.choices[0].delta!.content as string) : "";
    return { text, ...(event.usage ? { usage: event.usage } : {}) };
  } catch {
    return null;
  }
}

export function createWorkersAiBackend(choice: ResolvedModelChoice, ai: AiBinding): LlmProvider {
  return {
    name: "workers_ai",
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const wantsStream = request.onDelta !== undefined && !request.tools?.length;
      let output: unknown;
      try {
        output = await ai.run(request.model, toWorkersAiInput(request, choice, wantsStream), { signal: request.signal });
      } catch (err) {
        if (request.signal?.aborted) throw new ProviderError("aborted", "workers_ai: request aborted", { provider: "workers_ai" });
        // The binding reports capacity and quota problems as plain errors ("3040: Capacity temporarily exceeded").
        const message = err instanceof Error ? err.message : String(err);
        const kind = /neuron|quota|allocation/i.test(message) ? "quota" : /capacity|overloaded|unavailable|timeout|internal/i.test(message) ? "server" : "invalid_request";
        throw new ProviderError(kind, `workers_ai: ${message}`, { provider: "workers_ai", cause: err });
      }
      if (!(output instanceof ReadableStream)) {
        const response = fromWorkersAiOutput(output, request.model);
        request.onActivity?.();
        if (response.content) request.onDelta?.(response.content);
        return response;
      }
      let content = "";
      let usage: unknown;
      for await (const data of sseData(output)) {
        request.onActivity?.();
        const event = parseWorkersAiEvent(data);
        if (event === "done") break;
        if (!event) continue;
        if (event.usage) usage = event.usage;
        if (event.text) {
          content += event.text;
          request.onDelta?.(event.text);
        }
      }
      if (request.signal?.aborted) throw new ProviderError("aborted", "workers_ai: stream aborted", { provider: "workers_ai" });
      return { content: content || null, toolCalls: [], finishReason: "stop", usage: mapUsage(usage), model: request.model, provider: "workers_ai" };
    },
  };
}
