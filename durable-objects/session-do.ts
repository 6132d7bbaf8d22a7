import { DurableObject } from "cloudflare:workers";
import { composeHooks } from "../src/agent/hooks.ts";
import type { SessionRpc, StoredApiResponse, SubmitResult } from "../src/bindings.ts";
import { formatToolHint } from "../src/channels/progress/tool-hint.ts";
import { loadConfig } from "../src/config/load-config.ts";
import type { Config } from "../src/config/schema.ts";
import type { Env } from "../src/env.ts";
import { McpPool } from "../src/mcp/mcp-pool.ts";
import type { ChatMessage } from "../src/providers/types.ts";
import type { TurnReply, TurnRequest } from "../src/session-protocol/inbound.ts";
import { encodeEvent, type TurnEvent } from "../src/session-protocol/turn-events.ts";
import { AlarmSchedule } from "./session/alarm-schedule.ts";
import { createCommandSession } from "./session/command-session.ts";
import { createCommandRouter, parseCommand, type CommandRouter } from "./session/commands/command-router.ts";
import { InboxPayloads } from "./session/inbox-payloads.ts";
import { downloadPendingFiles } from "../src/channels/pending-files.ts";
import { InboxStore, type InboxRow } from "./session/inbox-store.ts";
import { MessageStore } from "./session/message-store.ts";
import { MetaStore } from "./session/meta-store.ts";
import type { SessionRuntime } from "./session/schedule-handlers.ts";
import type { SessionWiring } from "./session/session-wiring.ts";
import { recordSessionActivity } from "./session/session-index.ts";
import { cancelChildren } from "../src/subagents/running.ts";
import { toUserMessage, executeTurn } from "./session/turn-executor.ts";
import { migrateSessionSchema } from "./session/sql-schema.ts";
import { runControl } from "./session/control-handlers.ts";
import { rememberOrigin } from "./session/origin.ts";
import { apiHistoryUntil, deleteApiResponse, getApiResponse } from "./session/api-turns.ts";
import { SESSION_WIRING } from "../src/wiring/session.ts";
import { inboxLedger } from "./session/delivery-ledger.ts";
import { ReplyDelivery } from "./session/reply-delivery.ts";
import { armDelayNotice } from "./session/delay-notice.ts";

/** A turn that has not extended its lease for this long is presumed dead and is resumed by the alarm. */
const TURN_LEASE_MS = 120_000;
const INBOX_RETENTION_MS = 7 * 24 * 3600_000;
const MAX_TURN_ATTEMPTS = 3;
/** Backoff before a turn that failed on storage is tried again (times the attempt number). */
const TURN_RETRY_MS = 5_000;
const INDEX_REFRESH_MS = 60_000;

export type { SubmitResult } from "../src/bindings.ts";

/** One Durable Object per session key: inbox, history, timers and the agent turn. */
export class SessionDO extends DurableObject<Env> implements SessionRpc {
  private readonly sql: SqlStorage;
  private readonly meta: MetaStore;
  private readonly inbox: InboxStore;
  private readonly payloads: InboxPayloads;
  private readonly messages: MessageStore;
  private readonly schedule: AlarmSchedule;
  private readonly delivery: ReplyDelivery;
  private readonly listeners = new Map<number, Set<(event: TurnEvent) => void>>();
  private pumping: Promise<void> | null = null;
  private running: { inboxId: number; abort: AbortController } | null = null;
  /** MCP connections live as long as the object, so a session does not re-handshake every turn. */
  private readonly mcp = new McpPool();
  private readonly wiring: SessionWiring;
  private readonly commands: CommandRouter;

  /** `wiring`: commands, timers, control requests and outbounds; the runtime passes none, so it is SESSION_WIRING. */
  constructor(ctx: DurableObjectState, env: Env, wiring: SessionWiring = SESSION_WIRING) {
    super(ctx, env);
    this.wiring = wiring;
    this.commands = createCommandRouter(wiring.commands);
    this.sql = ctx.storage.sql;
    migrateSessionSchema(this.sql);
    this.meta = new MetaStore(this.sql);
    this.inbox = new InboxStore(this.sql);
    this.messages = new MessageStore(this.sql, this.meta, env.WORKSPACE, () => `sessions/${encodeURIComponent(this.sessionKey)}`);
    this.payloads = new InboxPayloads(env.WORKSPACE, () => `sessions/${encodeURIComponent(this.sessionKey)}`);
    this.schedule = new AlarmSchedule(this.sql, ctx.storage);
    this.delivery = new ReplyDelivery({ env, inbox: this.inbox, schedule: this.schedule, outbounds: wiring.outbounds, sessionKey: () => this.sessionKey });
  }

  private get sessionKey(): string {
    return this.meta.get<string>("session_key") ?? "unknown";
  }

  /**
   * Channels call this: the message is stored before the call returns, then processed by the alarm, so the
   * webhook can be acknowledged at once. Slash commands are answered inline.
   */
  async submit(request: TurnRequest): Promise<SubmitResult> {
    const accepted = await this.accept(request);
    if (accepted.reply && !accepted.duplicate) await this.deliverPending();
    else if (!accepted.duplicate) await this.syncInboxAlarm();
    return accepted;
  }

  /** The API calls this through fetch: stores the message, runs the turn and streams its events as NDJSON. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/turn") return new Response("not found", { status: 404 });
    const turn = (await request.json()) as TurnRequest;
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    let open = true;
    const send = (event: TurnEvent) => {
      if (!open) return;
      writer.write(encoder.encode(encodeEvent(event))).catch(() => (open = false));
    };
    const accepted = await this.accept(turn);
    send({ type: "accepted", inboxId: accepted.inboxId, duplicate: accepted.duplicate });
    const existing = accepted.reply ?? this.inbox.get(accepted.inboxId)?.reply ?? null;
    if (existing) {
      send({ type: "done", reply: existing });
      open = false;
      writer.close().catch(() => {});
    } else {
      this.listen(accepted.inboxId, (event) => {
        send(event);
        if (event.type === "done" || event.type === "error") {
          open = false;
          writer.close().catch(() => {});
        }
      });
      await this.syncInboxAlarm();
      void this.pump();
    }
    return new Response(readable, { headers: { "content-type": "application/x-ndjson" } });
  }

  override async alarm(): Promise<void> {
    const due = this.schedule.takeDue(Date.now());
    for (const row of due) {
      if (row.kind === "inbox") continue;
      const handler = this.wiring.timers.get(row.kind);
      if (!handler) {
        console.log(JSON.stringify({ event: "schedule_unknown_kind", session: this.sessionKey, kind: row.kind }));
        continue;
      }
      try {
        await handler(row, this.runtime());
      } catch (err) {
        console.log(JSON.stringify({ event: "schedule_failed", session: this.sessionKey, kind: row.kind, error: String(err) }));
      }
    }
    await this.pump();
  }

  /** Subagent sessions: true while the task is waiting or running (the parent counts its live children). */
  async subagentBusy(): Promise<boolean> {
    return this.running !== null || this.inbox.countWaiting() > 0;
  }

  /** Subagent sessions: stops the running task and drops waiting ones; nothing is announced. */
  async cancelSubagent(): Promise<number> {
    const dropped = this.inbox.takePending(() => true).length;
    const running = this.running ? 1 : 0;
    this.running?.abort.abort();
    await this.syncInboxAlarm();
    return dropped + running;
  }

  /** Responses API: a stored response of this session (GET /v1/responses/:id, previous_response_id). */
  async apiResponse(id: string): Promise<StoredApiResponse | null> {
    return getApiResponse(this.meta, this.messages, id);
  }

  /** Responses API: the conversation up to a stored response, to start a branch from it. */
  async apiHistory(id: string): Promise<ChatMessage[] | null> {
    return apiHistoryUntil(this.meta, this.messages, id);
  }

  async deleteApiResponse(id: string): Promise<boolean> {
    return deleteApiResponse(this.meta, id);
  }

  /** Requests that are not chat messages (cron ticks, /api/cron, notifications); see control-handlers.ts. */
  async control(sessionKey: string, name: string, args: Record<string, unknown> = {}): Promise<unknown> {
    if (this.meta.get<string>("session_key") !== sessionKey) this.meta.set("session_key", sessionKey);
    return runControl(this.wiring.controls, name, args, this.runtime());
  }

  /** The session as timer callbacks see it. */
  private runtime(): SessionRuntime {
    const result = loadConfig(this.env);
    if (!result.ok) throw new Error(result.error.message);
    return {
      env: this.env,
      config: result.config,
      sessionKey: this.sessionKey,
      meta: this.meta,
      messages: this.messages,
      schedule: this.schedule,
      enqueue: async (request) => {
        await this.submit(request);
      },
      workspaceId: this.meta.get<string>("workspace_id"),
      busy: () => this.running !== null,
      outbounds: this.wiring.outbounds,
      notify: async (request, content) => {
        const { row, duplicate } = this.inbox.insert(request);
        if (!duplicate) {
          await this.messages.append({ role: "assistant", content }, row.id);
          this.inbox.complete(row.id, { content, model: "", usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "notification" });
        }
        await this.deliverPending();
      },
    };
  }

  private async accept(request: TurnRequest): Promise<SubmitResult> {
    if (this.meta.get<string>("session_key") !== request.sessionKey) this.meta.set("session_key", request.sessionKey);
    rememberOrigin(this.meta, request);
    const stored = await this.payloads.stash(request);
    const { row, duplicate } = this.inbox.insert(stored);
    if (duplicate) {
      await this.payloads.drop(stored);
      return { inboxId: row.id, duplicate, reply: row.reply ?? undefined };
    }
    const command = parseCommand(request.message.text);
    if (!command) return { inboxId: row.id, duplicate };
    const found = this.commands.find(command);
    if (found?.deferred) {
      // Stored, answered by the alarm (processRow): the caller acknowledges the platform first.
      if (found.interrupts) this.commandSession(request).stopTurn();
      return { inboxId: row.id, duplicate };
    }
    // Quick commands never wait behind a running turn (/stop must reach it) and never call the model.
    const reply = commandReply(await this.commands.run(command, this.commandSession(request)));
    this.inbox.complete(row.id, reply);
    await this.payloads.drop(stored);
    return { inboxId: row.id, duplicate, reply };
  }

  private commandSession(request?: TurnRequest) {
    return createCommandSession({
      env: this.env,
      runtime: () => this.runtime(),
      request,
      sessionKey: this.sessionKey,
      meta: this.meta,
      messages: this.messages,
      stopTurn: () => {
        const children = cancelChildren(this.env, this.sessionKey, (p) => this.ctx.waitUntil(p));
        if (!this.running) return children;
        this.running.abort.abort();
        return 1 + children;
      },
      busy: () => this.running !== null,
      outbounds: this.wiring.outbounds,
    });
  }

  private listen(inboxId: number, listener: (event: TurnEvent) => void): void {
    let set = this.listeners.get(inboxId);
    if (!set) this.listeners.set(inboxId, (set = new Set()));
    set.add(listener);
  }

  private emit(inboxIds: number[], event: TurnEvent): void {
    for (const id of inboxIds) for (const listener of this.listeners.get(id) ?? []) listener(event);
  }

  private async syncInboxAlarm(): Promise<void> {
    const wake = this.running ? Date.now() + TURN_LEASE_MS : this.inbox.nextWake();
    if (wake === null) await this.schedule.remove("inbox");
    else await this.schedule.set("inbox", "inbox", wake);
  }

  /** Processes waiting inbox rows one turn at a time; concurrent callers share the same run. */
  private pump(): Promise<void> {
    this.pumping ??= (async () => {
      try {
        await this.deliverPending();
        for (let row = this.inbox.claimNext(TURN_LEASE_MS); row; row = this.inbox.claimNext(TURN_LEASE_MS)) {
          // A large request waits in R2 (inbox-payloads.ts); its copy goes once the row is answered.
          await this.processRow(await this.payloads.load(row));
          await this.payloads.drop(row.request);
          await this.deliverPending();
        }
        this.inbox.prune(INBOX_RETENTION_MS);
      } finally {
        this.pumping = null;
        await this.syncInboxAlarm();
      }
    })();
    return this.pumping;
  }

  private async processRow(row: InboxRow): Promise<void> {
    const configResult = loadConfig(this.env);
    const abort = new AbortController();
    this.running = { inboxId: row.id, abort };
    const joined = [row.id];
    let reply: TurnReply;
    let disarmNotice = () => {};
    const command = deferredCommandOf(row.request, this.commands);
    try {
      if (!configResult.ok) throw new Error(configResult.error.message);
      if (row.attempts > MAX_TURN_ATTEMPTS) {
        reply = failureReply("Sorry, this message could not be processed after several attempts. Please send it again.");
      } else if (command) {
        await this.syncInboxAlarm();
        reply = commandReply(await this.commands.run(command, this.commandSession(row.request)));
      } else {
        await this.syncInboxAlarm();
        disarmNotice = armDelayNotice({ env: this.env, config: configResult.config, inbox: this.inbox, row, outbounds: this.wiring.outbounds });
        row = await this.withFiles(row, configResult.config);
        reply = await executeTurn(row, {
          env: this.env,
          config: configResult.config,
          messages: this.messages,
          meta: this.meta,
          sessionKey: row.request.sessionKey,
          runtime: this.runtime(),
          signal: abort.signal,
          hooks: composeHooks(this.wiring.outbounds.get(row.request.message.channel)?.turnHooks?.({ env: this.env, config: configResult.config, request: row.request, inboxId: row.id, ledger: inboxLedger(this.inbox, row.id) }), {
            beforeIteration: () => this.inbox.extendLease(row.id, TURN_LEASE_MS),
            onDelta: (text) => this.emit(joined, { type: "delta", text }),
            // nanobot's channels.showReasoning: reasoning reaches the WebUI (and any event listener) only when on.
            onReasoningDelta: (text) => configResult.config.channels.showReasoning && this.emit(joined, { type: "reasoning_delta", text }),
            beforeTool: (call) =>
              this.emit(joined, { type: "tool_start", id: call.id, name: call.name, args: call.args, hint: formatToolHint(call.name, call.args, configResult.config.agents.defaults.toolHintMaxLength) }),
            afterTool: (call) => this.emit(joined, { type: "tool_end", id: call.id, name: call.name, ms: call.ms, isError: call.isError }),
          }),
          drainInjections: () => this.drainInjections(joined, configResult.config),
          mcp: this.mcp,
          outbounds: this.wiring.outbounds,
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
        this.inbox.extendLease(row.id, TURN_RETRY_MS * row.attempts);
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
      this.running = null;
    }
    this.inbox.complete(row.id, reply);
    this.emit(joined, { type: "done", reply });
    for (const id of joined) this.listeners.delete(id);
    await this.indexActivity(row.request);
  }

  /** D1's "last active chat" index needs minute precision, not a write per turn. */
  private async indexActivity(request: TurnRequest): Promise<void> {
    const last = this.meta.get<{ at: number; chatId: string }>("indexed");
    const now = Date.now();
    if (last && last.chatId === request.message.chatId && now - last.at < INDEX_REFRESH_MS) return;
    try {
      await recordSessionActivity(this.env.DB, request, now);
      this.meta.set("indexed", { at: now, chatId: request.message.chatId });
    } catch (err) {
      console.log(JSON.stringify({ event: "session_index_failed", session: this.sessionKey, error: String(err) }));
    }
  }

  private deliverPending(): Promise<void> {
    return this.delivery.deliverPending();
  }

  /** Follow-ups from the same chat join the running turn instead of waiting behind it. */
  private async drainInjections(joined: number[], config: Config): Promise<ChatMessage[]> {
    // API callers each wait for their own completion, so only chat-channel messages are merged.
    // Commands waiting for the alarm are answered on their own, after this turn.
    const rows = this.inbox.takePending((r) => r.request.message.channel !== "api" && !r.request.automation && !deferredCommandOf(r.request, this.commands));
    const out: ChatMessage[] = [];
    for (const r of rows) {
      joined.push(r.id);
      // A large request waits in R2 (inbox-payloads.ts); the files a message only named are fetched here.
      const { request } = await this.withFiles(await this.payloads.load(r), config);
      out.push(await toUserMessage(request.message, this.env.WORKSPACE, { env: this.env, config }));
      await this.payloads.drop(r.request);
    }
    return out;
  }

  /** Downloads the files a message only named, once: the row keeps the result, so a resumed turn does not fetch again. */
  private async withFiles(row: InboxRow, config: Config): Promise<InboxRow> {
    if (!row.request.files?.length) return row;
    const request = await downloadPendingFiles(this.env, config, row.request, this.wiring.channels);
    this.inbox.updateRequest(row.id, request);
    return { ...row, request };
  }
}

function commandReply(content: string): TurnReply {
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
