import type { ToolCall } from "../providers/types.ts";
import type { ToolRegistry } from "../tools/registry.ts";
import { ToolError, type ToolContext, type ToolResult } from "../tools/types.ts";
import type { AgentHooks } from "./hooks.ts";
import { fitToolResult, normalizeToolResult } from "./truncate-result.ts";
import type { TurnSafetyPolicy } from "./safety-policy.ts";

const ERROR_SUFFIX = "\n\n[Analyze the error above and try a different approach.]";

export interface ExecutedCall {
  call: ToolCall;
  result: ToolResult;
  isError: boolean;
}

export interface ToolExecutionDeps {
  registry: ToolRegistry;
  context: Omit<ToolContext, "emit">;
  safety: TurnSafetyPolicy;
  hooks: AgentHooks;
  maxResultChars: number;
}

const isErrorText = (r: ToolResult) => typeof r === "string" && r.startsWith("Error");

async function runOne(call: ToolCall, deps: ToolExecutionDeps): Promise<ExecutedCall> {
  const started = Date.now();
  const prepared = deps.registry.prepareCall(call.name, call.arguments);
  let result: ToolResult;
  let args: Record<string, unknown> = {};
  if (!prepared.ok) {
    result = prepared.error;
  } else {
    args = prepared.args;
    deps.hooks.beforeTool?.({ id: call.id, name: call.name, args });
    result =
      deps.safety.beforeCall(call.name, args) ??
      (await prepared.tool
        .execute(args, { ...deps.context, emit: (e) => deps.hooks.onEvent?.(e) })
        .catch((err: unknown) => {
          if (err instanceof ToolError) return `Error: ${err.message}`;
          if ((err as Error)?.name === "AbortError") throw err;
          console.log(JSON.stringify({ event: "tool_crash", tool: call.name, error: String(err) }));
          return `Error: ${call.name} failed: ${(err as Error)?.message ?? String(err)}`;
        }));
    const checked = deps.safety.afterCall(call.name, args, result);
    result = checked.result;
    for (const event of checked.events) deps.hooks.onEvent?.(event);
  }
  const isError = isErrorText(result);
  const { workspace, sessionKey } = deps.context;
  result = await fitToolResult(normalizeToolResult(call.name, result), { workspace, sessionKey, toolName: call.name, callId: call.id, maxChars: deps.maxResultChars });
  if (isError && typeof result === "string") result += ERROR_SUFFIX;
  deps.hooks.afterTool?.({ id: call.id, name: call.name, args, result, ms: Date.now() - started, isError });
  return { call, result, isError };
}

/**
 * Runs a model's tool calls: consecutive read-only calls run together, every other call alone and in order.
 * Results come back in call order.
 */
export async function executeToolCalls(calls: ToolCall[], deps: ToolExecutionDeps): Promise<ExecutedCall[]> {
  const results: ExecutedCall[] = [];
  let batch: ToolCall[] = [];
  const flush = async () => {
    if (batch.length) results.push(...(await Promise.all(batch.map((c) => runOne(c, deps)))));
    batch = [];
  };
  for (const call of calls) {
    if (deps.registry.get(call.name)?.readOnly) {
      batch.push(call);
      continue;
    }
    await flush();
    deps.context.signal.throwIfAborted();
    results.push(await runOne(call, deps));
  }
  await flush();
  return results;
}
