import { Cron } from "croner";
import type { Config } from "../../src/config/schema.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";

/**
 * Dream and the heartbeat run on their workspace object's own alarm, at the times the config names
 * (`agents.defaults.dream.cron` or `.intervalH`, `gateway.heartbeat.intervalS`). The Worker's Cron Trigger is
 * only a sweep: every tick pokes each workspace so its timer is armed (and re-planned after a config change).
 * A workspace the sweep stops poking (idle for a week: no heartbeat) stops re-arming after this long.
 */
export const SWEEP_LEASE_MS = 2 * 3_600_000;
const SWEPT_AT = "periodic_swept_at";

/** When a periodic job runs next; `spec` names the setting it came from, so a config change re-plans it. */
export interface PeriodicPlan {
  spec: string;
  /** The next run at or after `now`, given the last attempt (0: never); null when it never runs again. */
  next: (lastAttempt: number, now: number) => number | null;
}

const every = (ms: number): PeriodicPlan => ({ spec: `every ${ms} ms`, next: (last, now) => Math.max(now, last + ms) });

export function dreamPlan(config: Config): PeriodicPlan | null {
  const dream = config.agents.defaults.dream;
  if (!dream.enabled) return null;
  if (!dream.cron) return every(dream.intervalH * 3_600_000);
  const tz = config.agents.defaults.timezone;
  const cron = new Cron(dream.cron, { timezone: tz, paused: true });
  return { spec: `cron ${dream.cron} ${tz}`, next: (_last, now) => cron.nextRun(new Date(now))?.getTime() ?? null };
}

export function heartbeatPlan(config: Config): PeriodicPlan | null {
  const hb = config.gateway.heartbeat;
  return hb.enabled ? every(hb.intervalS * 1000) : null;
}

export interface PeriodicJob {
  kind: string;
  /** Meta key of the last attempt (set when a run starts, so a run that finds nothing to do still counts). */
  lastAttemptKey: string;
  plan: (config: Config) => PeriodicPlan | null;
}

export type ArmResult = { armed: true; dueAt: number } | { armed: false; reason: "disabled" | "never" | "idle" };

/**
 * Arms this job's timer row for its next run; an armed row of the same plan is kept, so a sweep every
 * 30 minutes never pushes a due run back. `force` runs it now (tests, `/dream` style triggers).
 */
export async function armPeriodic(job: PeriodicJob, session: SessionRuntime, payload: Record<string, unknown>, force = false, notBefore = 0): Promise<ArmResult> {
  const plan = job.plan(session.config);
  if (!plan) {
    await session.schedule.remove(job.kind);
    return { armed: false, reason: "disabled" };
  }
  const now = Math.max(Date.now(), notBefore);
  const existing = session.schedule.list(job.kind).find((r) => r.key === job.kind);
  if (!force && existing && existing.payload.spec === plan.spec) return { armed: true, dueAt: existing.dueAt };
  const dueAt = force ? now : plan.next(session.meta.get<number>(job.lastAttemptKey) ?? 0, now);
  if (dueAt === null) {
    await session.schedule.remove(job.kind);
    return { armed: false, reason: "never" };
  }
  await session.schedule.set(job.kind, job.kind, dueAt, { ...payload, spec: plan.spec });
  return { armed: true, dueAt };
}

/** The sweep's poke: remembers that the workspace is still swept, then arms the timer. */
export async function pokePeriodic(job: PeriodicJob, session: SessionRuntime, payload: Record<string, unknown>, force: boolean): Promise<ArmResult> {
  session.meta.set(SWEPT_AT, Date.now());
  return armPeriodic(job, session, payload, force);
}

/**
 * After the run that was due at `ranFor`: the next one strictly after it (never the same occurrence again),
 * while the sweep still pokes this workspace.
 */
export async function rearmPeriodic(job: PeriodicJob, session: SessionRuntime, payload: Record<string, unknown>, ranFor: number): Promise<ArmResult> {
  if (Date.now() - (session.meta.get<number>(SWEPT_AT) ?? 0) > SWEEP_LEASE_MS) return { armed: false, reason: "idle" };
  return armPeriodic(job, session, payload, false, ranFor + 1);
}

/** Marks the start of a run (the next interval counts from here) and says whether the job is still enabled. */
export function startPeriodicRun(job: PeriodicJob, session: SessionRuntime): boolean {
  session.meta.set(job.lastAttemptKey, Date.now());
  return job.plan(session.config) !== null;
}
