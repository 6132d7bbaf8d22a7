import type { ToolEvent, ToolResult } from "../tools/types.ts";

/**
 * Per-turn policy applied around every tool call (workspace-bypass throttle, repeated lookups, SSRF note).
 * The runner only knows this shape; src/agent/safety/ provides the real one.
 */
export interface TurnSafetyPolicy {
  /** A result to return instead of executing the call, or null to execute it. */
  beforeCall(name: string, args: Record<string, unknown>): string | null;
  afterCall(name: string, args: Record<string, unknown>, result: ToolResult): { result: ToolResult; events: ToolEvent[] };
}

export const permissiveSafety: TurnSafetyPolicy = {
  beforeCall: () => null,
  afterCall: (_name, _args, result) => ({ result, events: [] }),
};
