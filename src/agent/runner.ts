import type { ChatMessage, ChatResponse, LlmProvider, TokenUsage, ToolCall } from "../providers/types.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import type { ToolContext } from "../tools/types.ts";
import { type ClientTools, clientCallsOf, toolChoiceFor } from "./client-tools.ts";
import type { AgentHooks } from "./hooks.ts";
import { executeToolCalls } from "./tool-executor.ts";
import { permissiveSafety, type TurnSafetyPolicy } from "./safety-policy.ts";

const MAX_EMPTY_RETRIES = 2;
const MAX_LENGTH_CONTINUATIONS = 3;

export const MESSAGES = {
  modelError: "Sorry, I encountered an error calling the AI model.",
  emptyFinal: "I completed the tool steps but couldn't produce a final answer. Please try again or narrow the task.",
  finalizePrompt: "Please provide your response to the user based on the conversation above.",
  budgetExhaustedPrompt:
    "The tool-call budget for this turn is exhausted. Do not call or request tools. Answer the user now with what you have, and say what is left undone.",
  maxIterations: (n: number) =>
    `I reached the maximum number of tool call iterations (${n}) without completing the task. You can try breaking the task into smaller steps.`,
  continuePrompt: (tail: string) =>
    `Your previous answer was cut off at the output limit. Continue exactly where it stopped, without repeating. It ended with:\n<already_delivered_tail>${tail}</already_delivered_tail>`,
};

export type StopReason = "completed" | "max_iterations" | "empty_final_response" | "error" | "aborted" | "tool_calls";

export interface RunTurnOptions {
  provider: LlmProvider;
  model: string;
  maxTokens: number;
  temperature?: number;
  reasoningEffort?: string | null;
  /** System prompt, replayed history and the new user message. */
  messages: ChatMessage[];
  tools: ToolRegistry;
  toolContext: Omit<ToolContext, "emit" | "signal">;
  maxIterations: number;
  maxToolResultChars: number;
  signal: AbortSignal;
  hooks?: AgentHooks;
  safety?: TurnSafetyPolicy;
  /** Called for every message the turn adds, as soon as it exists (the caller persists it). */
  onMessage?: (message: ChatMessage) => Promise<void> | void;
  /** Follow-up user messages that arrived while the turn was running. */
  drainInjections?: () => Promise<ChatMessage[]>;
  /** API requests: the client's own tools; calling one ends the turn with `pendingToolCalls`. */
  clientTools?: ClientTools;
}

export interface RunTurnResult {
  content: string;
  stopReason: StopReason;
  usage: TokenUsage;
  model: string;
  toolsUsed: string[];
  iterations: number;
  /** Bytes of the first request sent to the model (system + history + tools), for /status. */
  firstRequestBytes: number;
  error?: string;
  /** stopReason "tool_calls": the client tool calls the client must answer before the turn can go on. */
  pendingToolCalls?: ToolCall[];
}

function userMessageFor(err: unknown): string {
  const candidate = (err as { userMessage?: unknown })?.userMessage;
  return typeof candidate === "string" && candidate ? candidate : MESSAGES.modelError;
}

/** The agent loop: model → tools → model … until an answer, the iteration budget, an error or /stop. */
export async function runTurn(options: RunTurnOptions): Promise<RunTurnResult> {
  const hooks = options.hooks ?? {};
  const safety = options.safety ?? permissiveSafety;
  const messages = [...options.messages];
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
  const toolsUsed: string[] = [];
  let model = options.model;
  let firstRequestBytes = 0;
  let modelCalls = 0;

  const append = async (message: ChatMessage) => {
    messages.push(message);
    await options.onMessage?.(message);
  };

  const callModel = async (withTools: boolean): Promise<ChatResponse> => {
    options.signal.throwIfAborted();
    const clientTools = options.clientTools?.tools ?? [];
    const tools = withTools && options.tools.size + clientTools.length ? [...options.tools.schemas(), ...clientTools] : undefined;
    const toolChoice = tools ? toolChoiceFor(options.clientTools, ++modelCalls) : undefined;
    if (!firstRequestBytes) firstRequestBytes = JSON.stringify(messages).length + (tools ? JSON.stringify(tools).length : 0);
    const response = await options.provider.chat({
      model: options.model,
      messages,
      tools,
      toolChoice,
      maxTokens: options.maxTokens,
      temperature: options.temperature,
      reasoningEffort: options.reasoningEffort,
      signal: options.signal,
      onDelta: hooks.onDelta,
      onReasoningDelta: hooks.onReasoningDelta,
    });
    usage.promptTokens += response.usage.promptTokens;
    usage.completionTokens += response.usage.completionTokens;
    usage.cachedTokens = (usage.cachedTokens ?? 0) + (response.usage.cachedTokens ?? 0);
    model = response.model || model;
    hooks.afterModelCall?.(response);
    return response;
  };

  const finish = async (content: string, stopReason: StopReason, iterations: number, error?: string): Promise<RunTurnResult> => {
    const final = hooks.finalize ? hooks.finalize(content) : content;
    await append({ role: "assistant", content: final });
    return { content: final, stopReason, usage, model, toolsUsed, iterations, firstRequestBytes, error };
  };

  /** One answer without tools, for finalisation after empty answers or an exhausted budget. */
  const answerWithoutTools = async (prompt: string): Promise<string> => {
    messages.push({ role: "user", content: prompt });
    try {
      return (await callModel(false)).content?.trim() ?? "";
    } finally {
      messages.pop();
    }
  };

  let iteration = 0;
  let emptyRetries = 0;
  let continuation = "";
  let lengthRounds = 0;
  try {
    while (iteration < options.maxIterations) {
      iteration++;
      hooks.beforeIteration?.(iteration);
      const response = await callModel(true);

      if (response.toolCalls.length && response.finishReason !== "length") {
        // Reasoning and signed thinking blocks go back with the tool calls: DeepSeek/Moonshot and Anthropic check them.
        await append({
          role: "assistant",
          content: response.content,
          toolCalls: response.toolCalls,
          reasoning: response.reasoning,
          thinkingBlocks: response.thinkingBlocks,
        });
        // Server-side calls of this step still run here; client calls are handed back to the client.
        const clientCalls = clientCallsOf(response.toolCalls, options.clientTools);
        const serverCalls = response.toolCalls.filter((c) => !clientCalls.includes(c));
        const executed = await executeToolCalls(serverCalls, {
          registry: options.tools,
          context: { ...options.toolContext, signal: options.signal },
          safety,
          hooks,
          maxResultChars: options.maxToolResultChars,
        });
        for (const { call, result } of executed) {
          toolsUsed.push(call.name);
          await append({ role: "tool", toolCallId: call.id, name: call.name, content: result });
        }
        if (clientCalls.length) {
          hooks.afterIteration?.(iteration, usage);
          const content = response.content ?? "";
          return { content, stopReason: "tool_calls", usage, model, toolsUsed, iterations: iteration, firstRequestBytes, pendingToolCalls: clientCalls };
        }
        for (const injected of (await options.drainInjections?.()) ?? []) await append(injected);
        hooks.afterIteration?.(iteration, usage);
        continue;
      }

      const text = response.content ?? "";
      if (response.finishReason === "length" && lengthRounds < MAX_LENGTH_CONTINUATIONS && text) {
        lengthRounds++;
        continuation += text;
        messages.push({ role: "assistant", content: text }, { role: "user", content: MESSAGES.continuePrompt(text.slice(-64)) });
        continue;
      }
      const full = continuation + text;
      if (!full.trim()) {
        if (emptyRetries < MAX_EMPTY_RETRIES) {
          emptyRetries++;
          continue;
        }
        const finalized = await answerWithoutTools(MESSAGES.finalizePrompt);
        return finalized
          ? await finish(finalized, "completed", iteration)
          : await finish(MESSAGES.emptyFinal, "empty_final_response", iteration);
      }
      hooks.afterIteration?.(iteration, usage);
      return await finish(full, "completed", iteration);
    }
    const last = await answerWithoutTools(MESSAGES.budgetExhaustedPrompt);
    return await finish(last || MESSAGES.maxIterations(options.maxIterations), "max_iterations", iteration);
  } catch (err) {
    if (options.signal.aborted || (err as Error)?.name === "AbortError") {
      return { content: "", stopReason: "aborted", usage, model, toolsUsed, iterations: iteration, firstRequestBytes };
    }
    const message = userMessageFor(err);
    console.log(JSON.stringify({ event: "turn_model_error", model: options.model, error: String((err as Error)?.message ?? err).slice(0, 300) }));
    // The history gets a placeholder, not the error text, so the next turn's context stays clean.
    await append({ role: "assistant", content: "[Assistant reply unavailable due to model error.]" });
    return { content: message, stopReason: "error", usage, model, toolsUsed, iterations: iteration, firstRequestBytes, error: String((err as Error)?.message ?? err) };
  }
}
