import { buildSystemPrompt } from "../agent/context-builder.ts";
import { turnExtraSections } from "../agent/extra-sections.ts";
import { runTurn } from "../agent/runner.ts";
import { createTurnSafety } from "../agent/safety/turn-safety.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { createProvider } from "../providers/create-provider.ts";
import type { ChatMessage } from "../providers/types.ts";
import { McpPool } from "../mcp/mcp-pool.ts";
import { EventQueue } from "../session/event-queue.ts";
import type { TurnEvent } from "../session/turn-events.ts";
import { buildToolRegistry } from "../tools/builtin-tools.ts";
import { isTemplateContent } from "../workspace/templates.ts";
import { openWorkspace } from "../workspace/open-workspace.ts";

export interface StatelessTurnInput {
  env: Env;
  config: Config;
  workspaceId: string;
  preset: string | null;
  /** The client's whole conversation: nothing is stored, nothing is replayed. */
  messages: ChatMessage[];
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
      const { provider, choice } = createProvider({ config: input.config, env: input.env, presetName: input.preset ?? undefined });
      const workspace = await openWorkspace(input.env.WORKSPACE, input.workspaceId);
      // No session to report back to, so no subagents here.
      const tools = await buildToolRegistry(input.config, input.env, { mcp, exclude: ["spawn"] });
      const extraSections = await turnExtraSections({ config: input.config, env: input.env, workspace, toolNames: tools.names() });
      const systemPrompt = await buildSystemPrompt({ config: input.config, workspace, channel: "api", isTemplate: isTemplateContent, extraSections });
      const result = await runTurn({
        provider,
        model: choice.model,
        maxTokens: choice.maxTokens,
        temperature: choice.temperature,
        reasoningEffort: choice.reasoningEffort,
        messages: [{ role: "system", content: systemPrompt }, ...input.messages],
        tools,
        toolContext: { env: input.env, config: input.config, workspace, sessionKey: "api:stateless", origin: { channel: "api", chatId: "stateless" } },
        maxIterations: input.config.agents.defaults.maxToolIterations,
        maxToolResultChars: input.config.agents.defaults.maxToolResultChars,
        signal: abort.signal,
        safety: createTurnSafety(),
        hooks: {
          onDelta: (text) => queue.push({ type: "delta", text }),
          onReasoningDelta: (text) => queue.push({ type: "reasoning_delta", text }),
          beforeTool: (c) => queue.push({ type: "tool_start", id: c.id, name: c.name, args: c.args }),
          afterTool: (c) => queue.push({ type: "tool_end", id: c.id, name: c.name, ms: c.ms, isError: c.isError }),
        },
      });
      queue.push({
        type: "done",
        reply: { content: result.content, model: result.model, usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens }, stopReason: result.stopReason },
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
