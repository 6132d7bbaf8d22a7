import type { AgentHooks } from "../../src/agent/hooks.ts";
import { describeAttachments, describeImages } from "../../src/documents/attachments.ts";
import { type ContextOverflow, contextOverflow, overflowPlaceholder } from "../../src/agent/context-limit.ts";
import { runTurn } from "../../src/agent/runner.ts";
import { prepareTurn } from "../../src/agent/turn-setup.ts";
import type { Outbounds } from "../../src/channels/outbound.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import type { McpPool } from "../../src/mcp/mcp-pool.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import type { InboundMessage, TurnReply } from "../../src/session-protocol/inbound.ts";
import { loadImageParts } from "../../src/session-protocol/media-parts.ts";
import { isAudio, transcribeAttachments } from "../../src/media/transcribe-message.ts";
import { INLINE_MEDIA_CHANNELS, inlineMediaMarkdown } from "../../src/media/inline-media.ts";
import type { InboxRow } from "./inbox-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";
import { goalUpdateTool } from "../../src/tools/goal-update.ts";
import { getGoal, goalSection } from "./goal/goal-store.ts";
import { consolidateForBudget } from "./memory/consolidator.ts";
import { armIdleCompact } from "./memory/idle-compact.ts";
import { summarySection } from "./memory/summaries.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";
import { createSessionServices } from "./create-session-services.ts";
import type { LastTurnStats } from "./commands/status-command.ts";
import { logApiPrelude, recordApiTurn } from "./api-turns.ts";

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
  /** The session's MCP connections (kept across turns). */
  mcp?: McpPool;
  /** Every channel's outbound side (the session's wiring). */
  outbounds: Outbounds;
}

/**
 * The user's message as the model sees it: text plus images loaded from R2, and audio attachments transcribed
 * (with `audio`, i.e. in a session's turn; stored once, so a replayed history never transcribes again).
 */
export async function toUserMessage(message: InboundMessage, bucket: R2Bucket, audio?: { env: Env; config: Config }): Promise<ChatMessage> {
  // Audio that is transcribed here is fetched once, by the transcription; it is not described as a file too.
  const others = (message.media ?? []).filter((m) => !m.mimeType.startsWith("image/") && !(audio && isAudio(m)));
  let text = message.text;
  const pictures = (message.media ?? []).filter((m) => m.mimeType.startsWith("image/"));
  if (pictures.length) text += `\n\n${describeImages(pictures)}`;
  if (others.length) text += `\n\n${await describeAttachments(bucket, others)}`;
  const transcripts = audio ? await transcribeAttachments(message, audio.env, audio.config) : [];
  if (transcripts.length) text = `${text}\n\n${transcripts.join("\n\n")}`.trim();
  const images = await loadImageParts(bucket, message.media ?? []);
  if (!images.length) return { role: "user", content: text };
  return { role: "user", content: [...images, { type: "text", text }] };
}

/**
 * A user message the context window cannot hold is answered without the model (src/agent/context-limit.ts).
 * The log keeps a short note in its place, so the next turns and Dream know it was sent.
 */
async function refuseOversized(request: InboxRow["request"], turnId: number, overflow: ContextOverflow, model: string, deps: TurnDeps): Promise<TurnReply> {
  await deps.messages.append(overflowPlaceholder(overflow.tokens), turnId);
  await deps.messages.append({ role: "assistant", content: overflow.reply }, turnId);
  console.log(JSON.stringify({ event: "message_too_long", session: deps.sessionKey, tokens: overflow.tokens }));
  const reply: TurnReply = { content: overflow.reply, model, usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "context_overflow" };
  recordApiTurn(request, reply, deps.meta, deps.messages);
  return reply;
}

/** Runs (or resumes) the agent turn for one inbox row. */
export async function executeTurn(row: InboxRow, deps: TurnDeps): Promise<TurnReply> {
  const started = Date.now();
  const { config, env } = deps;
  const request = row.request;
  const origin = { channel: request.message.channel, chatId: request.message.chatId, senderId: request.message.senderId };
  const setup = await prepareTurn({
    config,
    env,
    workspaceId: request.workspaceId,
    sessionKey: deps.sessionKey,
    origin,
    presetName: request.preset || deps.meta.get<string>("model_preset") || undefined,
    mcp: deps.mcp,
    subagent: request.subagent,
    sessionSections: () => [summarySection(deps.meta), goalSection(deps.meta), ...(request.api?.instructions ? [request.api.instructions] : [])],
    extraTools: getGoal(deps.meta)?.status === "active" ? [goalUpdateTool] : [],
    session: deps.runtime ? createSessionServices(deps.runtime, request) : undefined,
    collectMedia: true,
    outbounds: deps.outbounds,
    clientTools: request.api?.clientTools,
  });

  // A resumed turn (after a crash) already logged its user message; replaying the window continues it.
  if (!deps.messages.hasTurn(row.id)) {
    await logApiPrelude(request, row.id, deps.messages, deps.meta);
    if (!request.api?.resume) {
      const user = await toUserMessage(request.message, env.WORKSPACE, { env, config });
      const overflow = contextOverflow({ messages: [user], choice: setup.choice, room: setup.historyBudget, advice: "Send a shorter message or attach it as a file." });
      if (overflow) return refuseOversized(request, row.id, overflow, setup.choice.model, deps);
      await deps.messages.append(user, row.id);
    }
  }
  const memoryDeps = {
    env,
    config,
    meta: deps.meta,
    messages: deps.messages,
    sessionKey: deps.sessionKey,
    workspaceId: request.workspaceId,
    provider: setup.provider,
    model: setup.choice.model,
  };
  // Archive old turns before replaying, so the model gets their summary instead of silently losing them.
  if (deps.runtime && (await consolidateForBudget(memoryDeps, setup.historyBudget))) await setup.refreshPrompt();
  const history = await deps.messages.window(setup.historyBudget);
  let streamed = false;
  const hooks = { ...deps.hooks, onDelta: (text: string) => ((streamed = true), deps.hooks.onDelta?.(text)) };
  const result = await runTurn({
    ...setup.options(deps.signal, hooks),
    messages: setup.messages(history),
    onMessage: async (m) => void (await deps.messages.append(m, row.id)),
    drainInjections: deps.drainInjections,
  });
  const choice = setup.choice;

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
  // Chat platforms upload produced files in their `deliver`; stream readers (WebUI, API) get them inline, as
  // one more delta when the answer was streamed (the final event then carries no text of its own).
  let content = result.content;
  if (setup.outbox.length && INLINE_MEDIA_CHANNELS.has(request.message.channel)) {
    const block = await inlineMediaMarkdown(setup.outbox, env.WORKSPACE);
    if (streamed) deps.hooks.onDelta?.(`\n\n${block}`);
    content = [content.trim(), block].filter(Boolean).join("\n\n");
  }
  const reply: TurnReply = {
    content,
    model: result.model,
    usage: { promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens },
    stopReason: result.stopReason,
    ...(setup.outbox.length ? { media: [...setup.outbox] } : {}),
    ...(result.pendingToolCalls ? { toolCalls: result.pendingToolCalls } : {}),
  };
  recordApiTurn(request, reply, deps.meta, deps.messages);
  return reply;
}
