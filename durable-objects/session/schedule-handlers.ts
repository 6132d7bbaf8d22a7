import type { Config } from "../../src/config/schema.ts";
import type { Env } from "../../src/env.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import type { AlarmSchedule, ScheduleRow } from "./alarm-schedule.ts";
import type { MessageStore } from "./message-store.ts";
import type { MetaStore } from "./meta-store.ts";

/** What a timer callback may use: the session's stores, and a way to start a turn like an inbound message. */
export interface SessionRuntime {
  env: Env;
  config: Config;
  sessionKey: string;
  meta: MetaStore;
  messages: MessageStore;
  schedule: AlarmSchedule;
  /** Queues a turn (stored in the inbox first, so it survives a crash) and lets the alarm run it. */
  enqueue(request: TurnRequest): Promise<void>;
  /** The workspace this session last worked in (stored from its messages). */
  workspaceId: string | undefined;
  /**
   * Sends a message the session did not get asked for (heartbeat results): stored in history and in the
   * inbox as an answered row, then delivered through the channel's outbound like any reply (idempotent on
   * `request.dedupeKey`).
   */
  notify(request: TurnRequest, content: string): Promise<void>;
  /** Whether a turn is running right now. */
  busy(): boolean;
}

export type ScheduleHandler = (row: ScheduleRow, session: SessionRuntime) => Promise<void>;

const handlers = new Map<string, ScheduleHandler>();

/** Features register their timer kinds here (reminders, idle compaction, goals, …). Alarms are at-least-once. */
export function registerScheduleHandler(kind: string, handler: ScheduleHandler): void {
  handlers.set(kind, handler);
}

export function scheduleHandlerFor(kind: string): ScheduleHandler | undefined {
  return handlers.get(kind);
}
