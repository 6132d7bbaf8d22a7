import { DurableObject } from "cloudflare:workers";
import type { SessionRpc, StoredApiResponse, SubmitResult } from "../src/bindings.ts";
import { loadConfig } from "../src/config/load-config.ts";
import type { Env } from "../src/env.ts";
import { McpPool } from "../src/mcp/mcp-pool.ts";
import type { ChatMessage } from "../src/providers/types.ts";
import type { TurnRequest } from "../src/session-protocol/inbound.ts";
import { AlarmSchedule } from "./session/alarm-schedule.ts";
import { createCommandSession } from "./session/command-session.ts";
import { createCommandRouter, parseCommand, type CommandRouter } from "./session/commands/command-router.ts";
import { InboxPayloads } from "./session/inbox-payloads.ts";
import { InboxStore } from "./session/inbox-store.ts";
import { MessageStore } from "./session/message-store.ts";
import { MetaStore } from "./session/meta-store.ts";
import type { SessionRuntime } from "./session/schedule-handlers.ts";
import type { SessionWiring } from "./session/session-wiring.ts";
import { recordSessionActivity } from "./session/session-index.ts";
import { cancelChildren } from "../src/subagents/running.ts";
import { migrateSessionSchema } from "./session/sql-schema.ts";
import { runControl } from "./session/control-handlers.ts";
import { rememberOrigin } from "./session/origin.ts";
import { apiHistoryUntil, deleteApiResponse, getApiResponse } from "./session/api-turns.ts";
import { SESSION_WIRING } from "../src/wiring/session.ts";
import { ReplyDelivery } from "./session/reply-delivery.ts";
import { commandReply, processRow, TURN_LEASE_MS, type RowTurnDeps, type RunningTurn } from "./session/row-turn.ts";
import { TurnListeners, turnStreamResponse } from "./session/turn-stream.ts";

const INBOX_RETENTION_MS = 7 * 24 * 3600_000;
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
  private readonly listeners = new TurnListeners();
  private pumping: Promise<void> | null = null;
  private running: RunningTurn | null = null;
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
    return turnStreamResponse((await request.json()) as TurnRequest, {
      accept: (turn) => this.accept(turn),
      storedReply: (inboxId) => this.inbox.get(inboxId)?.reply ?? null,
      listeners: this.listeners,
      start: async () => {
        await this.syncInboxAlarm();
        void this.pump();
      },
    });
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
          await processRow(await this.payloads.load(row), this.rowTurnDeps());
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

  private rowTurnDeps(): RowTurnDeps {
    return {
      env: this.env,
      inbox: this.inbox,
      payloads: this.payloads,
      messages: this.messages,
      meta: this.meta,
      commands: this.commands,
      outbounds: this.wiring.outbounds,
      channels: this.wiring.channels,
      mcp: this.mcp,
      listeners: this.listeners,
      runtime: () => this.runtime(),
      commandSession: (request) => this.commandSession(request),
      setRunning: (running) => {
        this.running = running;
      },
      syncInboxAlarm: () => this.syncInboxAlarm(),
      indexActivity: (request) => this.indexActivity(request),
    };
  }

  private deliverPending(): Promise<void> {
    return this.delivery.deliverPending();
  }
}
