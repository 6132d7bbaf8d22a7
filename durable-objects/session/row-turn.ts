import { composeHooks } from "../../src/agent/hooks.ts";
import type { Outbounds } from "../../src/channels/outbound.ts";
import { downloadPendingFiles } from "../../src/channels/pending-files.ts";
import { formatToolHint } from "../../src/channels/progress/tool-hint.ts";
import type { ChannelAdapter } from "../../src/channels/types.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import type { McpPool } from "../../src/mcp/mcp-pool.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import type { TurnReply, TurnRequest } from "../../src/session-protocol/inbound.ts";
import { parseCommand, type CommandRouter } from "./commands/command-router.ts";
import type { CommandSession } from "./commands/types.ts";
import { armDelayNotice } from "./delay-notice.ts";
import { inboxLedger } from "./delivery-ledger.ts";
import type { InboxPayloads } from "./inbox-payloads.ts";
import type { InboxRow, InboxStore } from "./inbox-store.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";
import { executeTurn, toUserMessage } from "./turn-executor.ts";
import type { TurnListeners } from "./turn-stream.ts";

/** A turn that has not extended its lease for this long is presumed dead and is resumed by the alarm. */
export const TURN_LEASE_MS = 120_000;
const MAX_TURN_ATTEMPTS = 3;
/** Backoff before a turn that failed on storage is tried again (times the attempt number). */
const TURN_RETRY_MS = 5_000;

/** The turn in progress; `/stop` and subagent cancellation abort it. */
export interface RunningTurn {
  inboxId: number;
  abort: AbortController;
}

/** What one claimed inbox row needs from its session object. */
export interface RowTurnDeps {
  env: Env;
  inbox: InboxStore;
  payloads: InboxPayloads;
  messages: MessageStore;
  meta: MetaStore;
  commands: CommandRouter;
  outbounds: Outbounds;
  channels: readonly ChannelAdapter[];
  mcp: McpPool;
  listeners: TurnListeners;
  runtime(): SessionRuntime;
  commandSession(request: TurnRequest): CommandSession;
  /** The object reads this between awaits (busy checks, /stop, the inbox alarm), so it is set and cleared here. */
  setRunning(running: RunningTurn | null): void;
  syncInboxAlarm(): Promise<void>;
  indexActivity(request: TurnRequest): Promise<void>;
}

/**
 * Answers one claimed inbox row: a deferred slash command, or an agent turn that takes follow-ups of the same
 * chat along. Leaves the row claimed (for a retry by the alarm) only when storage failed and attempts remain.
 */
export async function processRow(row: InboxRow, deps: RowTurnDeps): Promise<void> {
  const configResult = loadConfig(deps.env);
  const abort = new AbortController();
  deps.setRunning({ inboxId: row.id, abort });
  const joined = [row.id];
  let reply: TurnReply;
  let disarmNotice = () => {};
  const command = deferredCommandOf(row.request, deps.commands);
  try {
    if (!configResult.ok) throw new Error(configResult.error.message);
    if (row.attempts > MAX_TURN_ATTEMPTS) {
      reply = failureReply("Sorry, this message could not be processed after several attempts. Please send it again.");
    } else if (command) {
      await deps.syncInboxAlarm();
      reply = commandReply(await deps.commands.run(command, deps.commandSession(row.request)));
    } else {
      await deps.syncInboxAlarm();
      const config = configResult.config;
      disarmNotice = armDelayNotice({ env: deps.env, config, inbox: deps.inbox, row, outbounds: deps.outbounds });
      row = await withFiles(row, config, deps);
      const emit = deps.listeners.emit.bind(deps.listeners);
      reply = await executeTurn(row, {
        env: deps.env,
        config,
        messages: deps.messages,
        meta: deps.meta,
        sessionKey: row.request.sessionKey,
        runtime: deps.runtime(),
        signal: abort.signal,
        hooks: composeHooks(deps.outbounds.get(row.request.message.channel)?.turnHooks?.({ env: deps.env, config, request: row.request, inboxId: row.id, ledger: inboxLedger(deps.inbox, row.id) }), {
          beforeIteration: () => deps.inbox.extendLease(row.id, TURN_LEASE_MS),
          onDelta: (text) => emit(joined, { type: "delta", text }),
          // nanobot's channels.showReasoning: reasoning reaches the WebUI (and any event listener) only when on.
          onReasoningDelta: (text) => config.channels.showReasoning && emit(joined, { type: "reasoning_delta", text }),
          beforeTool: (call) =>
            emit(joined, { type: "tool_start", id: call.id, name: call.name, args: call.args, hint: formatToolHint(call.name, call.args, config.agents.defaults.toolHintMaxLength) }),
          afterTool: (call) => emit(joined, { type: "tool_end", id: call.id, name: call.name, ms: call.ms, isError: call.isError }),
        }),
        drainInjections: () => drainInjections(joined, config, deps),
        mcp: deps.mcp,
        outbounds: deps.outbounds,
      });
      if (abort.signal.aborted) reply = { ...reply, content: reply.content || "Stopped.", stopReason: "aborted" };
    }
  } catch (err) {
    console.log(JSON.stringify({ event: "turn_failed", session: row.request.sessionKey, attempt: row.attempts, error: String((err as Error)?.message ?? err).slice(0, 300) }));
    // Errors written for users (no provider configured, unknown preset) say what to do; others stay vague.
    const userMessage = (err as { userMessage?: unknown })?.userMessage;
    // Model errors end inside the turn (runner.ts); what reaches here is storage or network trouble (R2, D1):
    // the row keeps its lease for a short backoff and the alarm runs it again, the user hears only if it persists.
    if (configResult.ok && typeof userMessage !== "string" && row.attempts < MAX_TURN_ATTEMPTS && !abort.signal.aborted) {
      deps.inbox.extendLease(row.id, TURN_RETRY_MS * row.attempts);
      return;
    }
    reply = failureReply(
      !configResult.ok
        ? `Configuration error: ${configResult.error.message}`
        : typeof userMessage === "string"
          ? userMessage
          : "Sorry, something went wrong while answering. Please try again.",
    );
  } finally {
    disarmNotice();
    deps.setRunning(null);
  }
  deps.inbox.complete(row.id, reply);
  deps.listeners.emit(joined, { type: "done", reply });
  deps.listeners.forget(joined);
  await deps.indexActivity(row.request);
}

/** Follow-ups from the same chat join the running turn instead of waiting behind it. */
async function drainInjections(joined: number[], config: Config, deps: RowTurnDeps): Promise<ChatMessage[]> {
  // API callers each wait for their own completion, so only chat-channel messages are merged.
  // Commands waiting for the alarm are answered on their own, after this turn.
  const rows = deps.inbox.takePending((r) => r.request.message.channel !== "api" && !r.request.automation && !deferredCommandOf(r.request, deps.commands));
  const out: ChatMessage[] = [];
  for (const r of rows) {
    joined.push(r.id);
    // A large request waits in R2 (inbox-payloads.ts); the files a message only named are fetched here.
    const { request } = await withFiles(await deps.payloads.load(r), config, deps);
    out.push(await toUserMessage(request.message, deps.env.WORKSPACE, { env: deps.env, config }));
    await deps.payloads.drop(r.request);
  }
  return out;
}

/** Downloads the files a message only named, once: the row keeps the result, so a resumed turn does not fetch again. */
async function withFiles(row: InboxRow, config: Config, deps: RowTurnDeps): Promise<InboxRow> {
  if (!row.request.files?.length) return row;
  const request = await downloadPendingFiles(deps.env, config, row.request, deps.channels);
  deps.inbox.updateRequest(row.id, request);
  return { ...row, request };
}

export function commandReply(content: string): TurnReply {
  return { content, model: "", usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "command", isCommand: true };
}

/** A stored message that is a command to run in the alarm (see SlashCommand.deferred). */
function deferredCommandOf(request: TurnRequest, commands: CommandRouter) {
  const command = parseCommand(request.message.text);
  return command && commands.find(command)?.deferred ? command : null;
}

function failureReply(content: string): TurnReply {
  return { content, model: "", usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "error" };
}
