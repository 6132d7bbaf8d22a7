import type { ScheduleRow } from "../alarm-schedule.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { heartbeatPlan, type PeriodicJob, pokePeriodic, rearmPeriodic, startPeriodicRun } from "../periodic-timer.ts";
import { runHeartbeat } from "./heartbeat-run.ts";

export const HEARTBEAT_KIND = "heartbeat";
export const heartbeatSessionKey = (workspaceId: string) => `heartbeat:${workspaceId}`;

const HEARTBEAT_JOB: PeriodicJob = { kind: HEARTBEAT_KIND, lastAttemptKey: "heartbeat_last_run", plan: heartbeatPlan };

const workspaceOf = (args: Record<string, unknown>, session: SessionRuntime) =>
  typeof args.workspaceId === "string" ? args.workspaceId : session.sessionKey.replace(/^heartbeat:/, "");

/** The Worker's sweep: arm the heartbeat for `gateway.heartbeat.intervalS` after the last one, and return. */
export async function pokeHeartbeat(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  return pokePeriodic(HEARTBEAT_JOB, session, { workspaceId: workspaceOf(args, session) }, args.force === true);
}

export async function runHeartbeatTimer(row: ScheduleRow, session: SessionRuntime): Promise<void> {
  if (!startPeriodicRun(HEARTBEAT_JOB, session)) return;
  const workspaceId = workspaceOf(row.payload, session);
  try {
    // The row's due time names this beat: a re-fired alarm notifies under the same dedupe key.
    const status = await runHeartbeat(session.env, session.config, session.outbounds, workspaceId, row.dueAt);
    session.meta.set("heartbeat_last_status", status);
  } finally {
    await rearmPeriodic(HEARTBEAT_JOB, session, { workspaceId }, row.dueAt);
  }
}
