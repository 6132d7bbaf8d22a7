import type { ClientTools } from "../agent/client-tools.ts";
import { contextOverflow } from "../agent/context-limit.ts";
import { runTurn } from "../agent/runner.ts";
import { prepareTurn } from "../agent/turn-setup.ts";
import type { Outbounds } from "../channels/outbound.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { ChatMessage } from "../providers/types.ts";
import type { TurnReply } from "../session-protocol/inbound.ts";
import { McpPool } from "../mcp/mcp-pool.ts";
import { EventQueue } from "../session-protocol/event-queue.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import { deleteWorkspace, seedScratchWorkspace } from "../workspace/scratch-workspace.ts";
import type { StatelessIdempotency } from "./stateless-idempotency.ts";

export interface StatelessTurnInput {
  env: Env;
  config: Config;
  /** The workspace whose prompt files and skills the request starts from (read, never written). */
  homeWorkspaceId: string;
  /** This request's own workspace (scratchWorkspaceId): tools write here; deleted when the turn ends. */
  workspaceId: string;
  preset: string | null;
  /** The client's whole conversation: nothing is stored, nothing is replayed. */
  messages: ChatMessage[];
  clientTools?: ClientTools;
  /** Idempotency-Key: the reply is saved before `done` goes out; a failed turn frees the key again. */
  idempotency?: Extract<StatelessIdempotency, { kind: "run" }>;
  /** Keeps the turn and its cleanup alive when the client disconnects mid-stream (ExecutionContext.waitUntil). */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** The Worker's outbounds: the `message` tool may reach the user's chats from an API turn too. */
  outbounds: Outbounds;
}

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/**
 * A request without a session id needs no Durable Object: nothing is kept, so the Worker runs the loop
 * itself and streams the same events a session would. Its tools work in a workspace of its own, started from
 * the home workspace's prompt files and deleted (the whole R2 prefix) before the response ends, so nothing
 * they write outlives the request or reaches the home workspace.
 */
export function runStatelessTurn(input: StatelessTurnInput): AsyncIterable<TurnEvent> {
  const queue = new EventQueue<TurnEvent>();
  const abort = new AbortController();
  const mcp = new McpPool();
  const turn = (async () => {
    let settled = false;
    try {
      await seedScratchWorkspace(input.env.WORKSPACE, input.homeWorkspaceId, input.workspaceId);
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
        outbounds: input.outbounds,
      });
      // Nothing trims a stateless conversation: all of it has to fit, or the model would get it cut.
      const overflow = contextOverflow({
        messages: input.messages,
        choice: setup.choice,
        room: setup.historyBudget,
        advice: "Send a shorter message or fewer messages.",
      });
      if (overflow) {
        log({ event: "message_too_long", session: "api:stateless", tokens: overflow.tokens });
        const reply: TurnReply = { content: overflow.reply, model: setup.choice.model, usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "context_overflow" };
        await input.idempotency?.save(reply);
        settled = true;
        queue.push({ type: "done", reply });
        return;
      }
      const result = await runTurn({
        ...setup.options(abort.signal, {
          onDelta: (text) => queue.push({ type: "delta", text }),
          onReasoningDelta: (text) => queue.push({ type: "reasoning_delta", text }),
          beforeTool: (c) => queue.push({ type: "tool_start", id: c.id, name: c.name, args: c.args }),
          afterTool: (c) => queue.push({ type: "tool_end", id: c.id, name: c.name, ms: c.ms, isError: c.isError }),
        }),
        messages: setup.messages(input.messages),
      });
      const reply: TurnReply = {
        content: result.content,
        model: result.model,
        usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens },
        stopReason: result.stopReason,
        ...(result.pendingToolCalls ? { toolCalls: result.pendingToolCalls } : {}),
      };
      // A provider failure is not an answer worth replaying: the key is freed so a retry runs again.
      if (reply.stopReason === "error" || reply.stopReason === "aborted") await input.idempotency?.release();
      else await input.idempotency?.save(reply);
      settled = true;
      queue.push({ type: "done", reply });
    } catch (err) {
      const message = (err as { userMessage?: string }).userMessage ?? (err as Error).message ?? String(err);
      // Freed before the client hears of the failure, so its retry runs instead of meeting a 409.
      if (!settled) await input.idempotency?.release().catch((e) => log({ event: "idempotency_release_failed", error: String(e).slice(0, 200) }));
      queue.push({ type: "error", message, code: "turn_failed" });
    } finally {
      await mcp.close();
      await deleteWorkspace(input.env.WORKSPACE, input.workspaceId).catch((e) => log({ event: "stateless_cleanup_failed", workspace: input.workspaceId, error: String(e).slice(0, 200) }));
      queue.end();
    }
  })();
  input.waitUntil?.(turn);
  return queue;
}

/** The request's waitUntil where there is an ExecutionContext (there is none under some test harnesses). */
export function waitUntilOf(c: { readonly executionCtx: { waitUntil(promise: Promise<unknown>): void } }): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}
