import type { ChatResponse, TokenUsage } from "../providers/types.ts";
import type { ToolEvent, ToolResult } from "../tools/tool-result.ts";

/** Observers of a turn: channels stream deltas, the API forwards them, tests watch. All optional. */
export interface AgentHooks {
  beforeIteration?(iteration: number): void;
  onDelta?(text: string): void;
  onReasoningDelta?(text: string): void;
  afterModelCall?(response: ChatResponse): void;
  beforeTool?(call: { id: string; name: string; args: unknown }): void;
  afterTool?(call: { id: string; name: string; args: unknown; result: ToolResult; ms: number; isError: boolean }): void;
  onEvent?(event: ToolEvent): void;
  afterIteration?(iteration: number, usage: TokenUsage): void;
  /** Last chance to rewrite the final answer. */
  finalize?(content: string): string;
}

/** Fans out to several hook sets; a throwing observer never breaks the turn. */
export function composeHooks(...all: Array<AgentHooks | undefined>): AgentHooks {
  const hooks = all.filter((h): h is AgentHooks => !!h);
  const fan =
    <K extends keyof AgentHooks>(key: K) =>
    (...args: unknown[]) => {
      for (const h of hooks) {
        try {
          (h[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
        } catch (err) {
          console.log(JSON.stringify({ event: "hook_error", hook: key, error: String(err) }));
        }
      }
    };
  return {
    beforeIteration: fan("beforeIteration"),
    onDelta: fan("onDelta"),
    onReasoningDelta: fan("onReasoningDelta"),
    afterModelCall: fan("afterModelCall"),
    beforeTool: fan("beforeTool"),
    afterTool: fan("afterTool"),
    onEvent: fan("onEvent"),
    afterIteration: fan("afterIteration"),
    finalize: (content) => hooks.reduce((acc, h) => (h.finalize ? h.finalize(acc) : acc), content),
  };
}
