import { buildSystemPrompt } from "../../src/agent/context-builder.ts";
import { turnExtraSections } from "../../src/agent/extra-sections.ts";
import type { AgentHooks } from "../../src/agent/hooks.ts";
import { runTurn } from "../../src/agent/runner.ts";
import { createTurnSafety } from "../../src/agent/safety/turn-safety.ts";
import { estimateTextTokens } from "../../src/agent/token-estimate.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import type { McpPool } from "../../src/mcp/mcp-pool.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import type { InboundMessage, TurnReply } from "../../src/session/inbound.ts";
import { loadImageParts } from "../../src/session/media-parts.ts";
import { SUBAGENT_EXCLUDED_TOOLS, resolveProfile } from "../../src/subagents/profiles.ts";
import { buildToolRegistry } from "../../src/tools/builtin-tools.ts";
import { isTemplateContent } from "../../src/workspace/templates.ts";
import { openWorkspace } from "../../src/workspace/open-workspace.ts";
import type { InboxRow } from "./inbox-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";
import type { LastTurnStats } from "./commands/status-command.ts";

/** Room kept free in the context window for estimate error and provider overhead. */
const CONTEXT_MARGIN_TOKENS = 1024;

export interface TurnDeps {
  env: Env;
  config: Config;
  messages: MessageStore;
  meta: MetaStore;
  sessionKey: string;
  hooks: AgentHooks;
  signal: AbortSignal;
  drainInjections: () => Promise<ChatMessage[]>;
  /** The session's MCP connections (kept across turns). */
  mcp?: McpPool;
}

/** The user's message as the model sees it: text plus images loaded from R2. */
export async function toUserMessage(message: InboundMessage, bucket: R2Bucket): Promise<ChatMessage> {
  const others = (message.media ?? []).filter((m) => !m.mimeType.startsWith("image/"));
  let text = message.text;
  if (others.length) text += `\n\n[Attached files: ${others.map((m) => m.key).join(", ")}]`;
  const images = await loadImageParts(bucket, message.media ?? []);
  if (!images.length) return { role: "user", content: text };
  return { role: "user", content: [...images, { type: "text", text }] };
}

/** Runs (or resumes) the agent turn for one inbox row. */
export async function executeTurn(row: InboxRow, deps: TurnDeps): Promise<TurnReply> {
  const started = Date.now();
  const { config, env } = deps;
  const request = row.request;
  // A subagent session runs under its profile: its tools, model and iteration limit.
  const profile = request.subagent ? resolveProfile(config, request.subagent.profile) : null;
  const presetName = profile?.model || request.preset || deps.meta.get<string>("model_preset") || undefined;
  const { provider, choice } = createProvider({ config, env, presetName });
  const workspace = await openWorkspace(env.WORKSPACE, request.workspaceId);
  const tools = await buildToolRegistry(config, env, { mcp: deps.mcp, only: profile?.tools, exclude: profile ? SUBAGENT_EXCLUDED_TOOLS : undefined });
  const extraSections = await turnExtraSections({
    config,
    env,
    workspace,
    toolNames: tools.names(),
    subagent: request.subagent && profile ? { task: request.subagent, profile } : undefined,
  });
  const systemPrompt = await buildSystemPrompt({ config, workspace, channel: request.message.channel, isTemplate: isTemplateContent, extraSections });

  // A resumed turn (after a crash) already logged its user message; replaying the window continues it.
  if (!deps.messages.hasTurn(row.id)) {
    await deps.messages.append(await toUserMessage(request.message, env.WORKSPACE), row.id);
  }
  const toolTokens = tools.size ? estimateTextTokens(JSON.stringify(tools.schemas())) : 0;
  const budget = choice.contextWindowTokens - choice.maxTokens - CONTEXT_MARGIN_TOKENS - estimateTextTokens(systemPrompt) - toolTokens;
  const history = await deps.messages.window(Math.max(budget, 256));

  const result = await runTurn({
    provider,
    model: choice.model,
    maxTokens: choice.maxTokens,
    temperature: choice.temperature,
    reasoningEffort: choice.reasoningEffort,
    messages: [{ role: "system", content: systemPrompt }, ...history],
    tools,
    toolContext: {
      env,
      config,
      workspace,
      sessionKey: deps.sessionKey,
      origin: { channel: request.message.channel, chatId: request.message.chatId, senderId: request.message.senderId },
    },
    maxIterations: profile?.maxIterations ?? config.agents.defaults.maxToolIterations,
    maxToolResultChars: config.agents.defaults.maxToolResultChars,
    signal: deps.signal,
    hooks: deps.hooks,
    safety: createTurnSafety(),
    onMessage: async (m) => void (await deps.messages.append(m, row.id)),
    drainInjections: deps.drainInjections,
  });

  const stats: LastTurnStats = {
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    cachedTokens: result.usage.cachedTokens ?? 0,
    requestBytes: result.firstRequestBytes,
    tools: result.toolsUsed.length,
    ms: Date.now() - started,
  };
  deps.meta.set("last_turn", stats);
  deps.meta.add("total_prompt_tokens", stats.promptTokens);
  deps.meta.add("total_completion_tokens", stats.completionTokens);
  console.log(
    JSON.stringify({
      event: "turn",
      session: deps.sessionKey,
      model: result.model,
      provider: choice.spec.name,
      stop: result.stopReason,
      iterations: result.iterations,
      tools: result.toolsUsed.length,
      tokensIn: stats.promptTokens,
      tokensOut: stats.completionTokens,
      promptBytes: stats.requestBytes,
      ms: stats.ms,
    }),
  );
  return {
    content: result.content,
    model: result.model,
    usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens },
    stopReason: result.stopReason,
  };
}
