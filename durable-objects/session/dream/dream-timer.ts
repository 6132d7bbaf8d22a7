import type { ScheduleRow } from "../alarm-schedule.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { dreamPlan, type PeriodicJob, pokePeriodic, rearmPeriodic, startPeriodicRun } from "../periodic-timer.ts";
import { runDream } from "./dream-run.ts";

export const DREAM_KIND = "dream";
export const dreamSessionKey = (workspaceId: string) => `dream:${workspaceId}`;

const DREAM_JOB: PeriodicJob = { kind: DREAM_KIND, lastAttemptKey: "dream_last_attempt", plan: dreamPlan };

function workspaceOf(args: Record<string, unknown>, session: SessionRuntime): string {
  const id = typeof args.workspaceId === "string" ? args.workspaceId : session.sessionKey.replace(/^dream:/, "");
  return id;
}

/**
 * The Worker's sweep: arm this workspace's Dream timer for the time `agents.defaults.dream` names and return at
 * once, so `scheduled()` only fans out and the Dream runs under this Durable Object's own alarm budget.
 */
export async function pokeDream(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  return pokePeriodic(DREAM_JOB, session, { workspaceId: workspaceOf(args, session) }, args.force === true);
}

export async function runDreamTimer(row: ScheduleRow, session: SessionRuntime): Promise<void> {
  if (!startPeriodicRun(DREAM_JOB, session)) return;
  const workspaceId = workspaceOf(row.payload, session);
  try {
    await runDream(session.env, session.config, workspaceId, session.meta);
  } finally {
    await rearmPeriodic(DREAM_JOB, session, { workspaceId }, row.dueAt);
  }
}

/** `/dream`: run now and answer with the result. */
export async function runDreamNow(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  return runDream(session.env, session.config, workspaceOf(args, session), session.meta);
}
