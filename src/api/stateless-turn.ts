import type { ClientTools } from "../agent/client-tools.ts";
import { runTurn } from "../agent/runner.ts";
import { prepareTurn } from "../agent/turn-setup.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { ChatMessage } from "../providers/types.ts";
import { McpPool } from "../mcp/mcp-pool.ts";
import { EventQueue } from "../session-protocol/event-queue.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";

export interface StatelessTurnInput {
  env: Env;
  config: Config;
  workspaceId: string;
  preset: string | null;
  /** The client's whole conversation: nothing is stored, nothing is replayed. */
  messages: ChatMessage[];
  clientTools?: ClientTools;
}

/**
 * A request without a session id needs no Durable Object: nothing is kept, so the Worker runs the loop
 * itself and streams the same events a session would.
 */
export function runStatelessTurn(input: StatelessTurnInput): AsyncIterable<TurnEvent> {
  const queue = new EventQueue<TurnEvent>();
  const abort = new AbortController();
  const mcp = new McpPool();
  (async () => {
    try {
      const setup = await prepareTurn({
        config: input.config,
        env: input.env,
        workspaceId: input.workspaceId,
        sessionKey: "api:stateless",
        origin: { channel: "api", chatId: "stateless" },
        presetName: input.preset ?? undefined,
        mcp,
        // No session to report back to, so no subagents here.
        excludeTools: ["spawn"],
        clientTools: input.clientTools,
      });
      const result = await runTurn({
        ...setup.options(abort.signal, {
          onDelta: (text) => queue.push({ type: "delta", text }),
          onReasoningDelta: (text) => queue.push({ type: "reasoning_delta", text }),
          beforeTool: (c) => queue.push({ type: "tool_start", id: c.id, name: c.name, args: c.args }),
          afterTool: (c) => queue.push({ type: "tool_end", id: c.id, name: c.name, ms: c.ms, isError: c.isError }),
        }),
        messages: setup.messages(input.messages),
      });
      queue.push({
        type: "done",
        reply: {
          content: result.content,
          model: result.model,
          usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens },
          stopReason: result.stopReason,
          ...(result.pendingToolCalls ? { toolCalls: result.pendingToolCalls } : {}),
        },
      });
    } catch (err) {
      const message = (err as { userMessage?: string }).userMessage ?? (err as Error).message ?? String(err);
      queue.push({ type: "error", message, code: "turn_failed" });
    } finally {
      await mcp.close();
      queue.end();
    }
  })();
  return queue;
}
