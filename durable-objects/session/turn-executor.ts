import { buildSystemPrompt } from "../../src/agent/context-builder.ts";
import type { AgentHooks } from "../../src/agent/hooks.ts";
import { runTurn } from "../../src/agent/runner.ts";
import { createTurnSafety } from "../../src/agent/safety/turn-safety.ts";
import { estimateTextTokens } from "../../src/agent/token-estimate.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import type { InboundMessage, TurnReply } from "../../src/session/inbound.ts";
import { loadImageParts } from "../../src/session/media-parts.ts";
import { buildToolRegistry } from "../../src/tools/builtin-tools.ts";
import { isTemplateContent } from "../../src/workspace/templates.ts";
import { openWorkspace } from "../../src/workspace/open-workspace.ts";
import type { InboxRow } from "./inbox-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";
import { goalUpdateTool } from "../../src/tools/goal-update.ts";
import { getGoal, goalSection } from "./goal/goal-store.ts";
import { consolidateForBudget } from "./memory/consolidator.ts";
import { armIdleCompact } from "./memory/idle-compact.ts";
import { summarySection } from "./memory/summaries.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";
import { createSessionServices } from "./session-services.ts";
import type { LastTurnStats } from "./commands/status-command.ts";

/** Room kept free in the context window for estimate error and provider overhead. */
const CONTEXT_MARGIN_TOKENS = 1024;

export interface TurnDeps {
  env: Env;
  config: Config;
  messages: MessageStore;
  meta: MetaStore;
  sessionKey: string;
  /** The session's timers and stores (consolidation, cron, goal); absent in unit-style callers. */
  runtime?: SessionRuntime;
  hooks: AgentHooks;
  signal: AbortSignal;
  drainInjections: () => Promise<ChatMessage[]>;
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
  const { provider, choice } = createProvider({ config, env, presetName: request.preset || deps.meta.get<string>("model_preset") || undefined });
  const workspace = await openWorkspace(env.WORKSPACE, request.workspaceId);
  const buildPrompt = () =>
    buildSystemPrompt({
      config,
      workspace,
      channel: request.message.channel,
      isTemplate: isTemplateContent,
      extraSections: [summarySection(deps.meta), goalSection(deps.meta)],
    });
  let systemPrompt = await buildPrompt();
  const tools = buildToolRegistry(config, env);
  if (getGoal(deps.meta)?.status === "active") tools.register(goalUpdateTool);

  // A resumed turn (after a crash) already logged its user message; replaying the window continues it.
  if (!deps.messages.hasTurn(row.id)) {
    await deps.messages.append(await toUserMessage(request.message, env.WORKSPACE), row.id);
  }
  const toolTokens = tools.size ? estimateTextTokens(JSON.stringify(tools.schemas())) : 0;
  const budgetFor = (prompt: string) => choice.contextWindowTokens - choice.maxTokens - CONTEXT_MARGIN_TOKENS - estimateTextTokens(prompt) - toolTokens;
  let budget = budgetFor(systemPrompt);
  const memoryDeps = { env, config, meta: deps.meta, messages: deps.messages, sessionKey: deps.sessionKey, workspaceId: request.workspaceId, provider, model: choice.model };
  // Archive old turns before replaying, so the model gets their summary instead of silently losing them.
  if (deps.runtime && (await consolidateForBudget(memoryDeps, budget))) {
    systemPrompt = await buildPrompt();
    budget = budgetFor(systemPrompt);
  }
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
      session: deps.runtime ? createSessionServices(deps.runtime, request) : undefined,
    },
    maxIterations: config.agents.defaults.maxToolIterations,
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
  if (deps.runtime) await armIdleCompact(deps.runtime);
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
