import type { Outbounds } from "../../src/channels/outbound.ts";
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
  /** Every channel's outbound side (the session's wiring), for turns and notices that send messages. */
  outbounds: Outbounds;
}

export type ScheduleHandler = (row: ScheduleRow, session: SessionRuntime) => Promise<void>;

/** Timer kinds (reminders, idle compaction, Dream, heartbeat) by name, as src/wiring/session.ts lists them. Alarms are at-least-once. */
export type ScheduleHandlers = ReadonlyMap<string, ScheduleHandler>;
