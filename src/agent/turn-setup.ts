import type { Config } from "../config/schema.ts";
import type { McpPool } from "../mcp/mcp-pool.ts";
import type { Env } from "../env.ts";
import { createProvider } from "../providers/create-provider.ts";
import type { ResolvedModelChoice } from "../providers/resolve-model.ts";
import type { ChatMessage, LlmProvider } from "../providers/types.ts";
import type { MediaRef } from "../session-protocol/inbound.ts";
import type { SubagentTask } from "../subagents/types.ts";
import { SUBAGENT_EXCLUDED_TOOLS, resolveProfile } from "../subagents/profiles.ts";
import { buildToolRegistry } from "../tools/builtin-tools.ts";
import type { SessionServices } from "../tools/session-services.ts";
import type { ToolDefinition, TurnOrigin } from "../tools/types.ts";
import { isTemplateContent } from "../workspace/templates.ts";
import { openWorkspace } from "../workspace/open-workspace.ts";
import { buildSystemPrompt } from "./context-builder.ts";
import { turnExtraSections } from "./extra-sections.ts";
import type { ClientTools } from "./client-tools.ts";
import type { AgentHooks } from "./hooks.ts";
import type { RunTurnOptions } from "./runner.ts";
import { createTurnSafety } from "./safety/turn-safety.ts";
import { estimateTextTokens } from "./token-estimate.ts";

/** Room kept free in the context window for estimate error and provider overhead. */
const CONTEXT_MARGIN_TOKENS = 1024;

export interface TurnSetupInput {
  config: Config;
  env: Env;
  workspaceId: string;
  sessionKey: string;
  origin: TurnOrigin;
  /** undefined: the configured default (agents.defaults.modelPreset). */
  presetName?: string;
  /** MCP connections to reuse (a session keeps one pool across turns). */
  mcp?: McpPool;
  /** Set when this turn is a subagent's task: its profile restricts tools, model and iterations. */
  subagent?: SubagentTask;
  /** Tool names this turn may not use (e.g. `spawn` where no session can receive the result). */
  excludeTools?: string[];
  /** Tools only this turn has (e.g. `goal_update` while a goal is active). */
  extraTools?: ToolDefinition[];
  /** Session-owned prompt sections (archived summaries, the goal); re-read by `refreshPrompt`. */
  sessionSections?: () => string[];
  /** What tools may ask of the session (reminders, notifications). */
  session?: SessionServices;
  /** The turn delivers files tools produce (a session turn): tools get `ctx.outbox`. */
  collectMedia?: boolean;
  /** API requests: tools the client runs itself (names checked against ours by the API route). */
  clientTools?: ClientTools;
}

export interface TurnSetup {
  choice: ResolvedModelChoice;
  provider: LlmProvider;
  readonly systemPrompt: string;
  /** Tokens left for replayed history after the system prompt, tool schemas and the answer. */
  readonly historyBudget: number;
  /** Rebuilds the system prompt (after consolidation changed the session's summaries). */
  refreshPrompt(): Promise<void>;
  /** Everything runTurn needs except the conversation. */
  options(signal: AbortSignal, hooks?: AgentHooks): Omit<RunTurnOptions, "messages">;
  /** The conversation for runTurn: system prompt first. */
  messages(conversation: ChatMessage[]): ChatMessage[];
  /** Files tools produced for the user during this turn (ToolContext.outbox); always empty without `collectMedia`. */
  readonly outbox: MediaRef[];
}

/** Resolves model, workspace, system prompt and tools for one turn (sessions and stateless API alike). */
export async function prepareTurn(input: TurnSetupInput): Promise<TurnSetup> {
  const { config, env } = input;
  const profile = input.subagent ? resolveProfile(config, input.subagent.profile) : null;
  const { provider, choice } = createProvider({ config, env, presetName: profile?.model || input.presetName });
  const workspace = await openWorkspace(env.WORKSPACE, input.workspaceId);
  const exclude = [...(profile ? SUBAGENT_EXCLUDED_TOOLS : []), ...(input.excludeTools ?? [])];
  const tools = await buildToolRegistry(config, env, { mcp: input.mcp, only: profile?.tools, exclude: exclude.length ? exclude : undefined });
  for (const tool of input.extraTools ?? []) if (!tools.get(tool.name)) tools.register(tool);
  const featureSections = await turnExtraSections({
    config,
    env,
    workspace,
    toolNames: tools.names(),
    subagent: input.subagent && profile ? { task: input.subagent, profile } : undefined,
  });
  const buildPrompt = () =>
    buildSystemPrompt({
      config,
      workspace,
      channel: input.origin.channel,
      isTemplate: isTemplateContent,
      extraSections: [...(input.sessionSections?.() ?? []), ...featureSections],
    });
  const clientSchemas = input.clientTools?.tools ?? [];
  const toolTokens = tools.size + clientSchemas.length ? estimateTextTokens(JSON.stringify([...tools.schemas(), ...clientSchemas])) : 0;
  const budgetFor = (prompt: string) =>
    Math.max(choice.contextWindowTokens - choice.maxTokens - CONTEXT_MARGIN_TOKENS - estimateTextTokens(prompt) - toolTokens, 256);
  let systemPrompt = await buildPrompt();
  const outbox: MediaRef[] = [];
  return {
    choice,
    provider,
    outbox,
    get systemPrompt() {
      return systemPrompt;
    },
    get historyBudget() {
      return budgetFor(systemPrompt);
    },
    async refreshPrompt() {
      systemPrompt = await buildPrompt();
    },
    messages: (conversation) => [{ role: "system", content: systemPrompt }, ...conversation],
    options: (signal, hooks) => ({
      provider,
      model: choice.model,
      maxTokens: choice.maxTokens,
      temperature: choice.temperature,
      reasoningEffort: choice.reasoningEffort,
      tools,
      toolContext: { env, config, workspace, sessionKey: input.sessionKey, origin: input.origin, session: input.session, outbox: input.collectMedia ? outbox : undefined },
      maxIterations: profile?.maxIterations ?? config.agents.defaults.maxToolIterations,
      maxToolResultChars: config.agents.defaults.maxToolResultChars,
      signal,
      hooks,
      safety: createTurnSafety(),
      clientTools: input.clientTools,
    }),
  };
}
