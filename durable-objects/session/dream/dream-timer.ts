import type { ScheduleRow } from "../alarm-schedule.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { runDream } from "./dream-run.ts";

export const DREAM_KIND = "dream";
export const dreamSessionKey = (workspaceId: string) => `dream:${workspaceId}`;

/** Slack so a cron tick that arrives a little early still counts as "interval passed". */
const INTERVAL_SLACK_MS = 5 * 60_000;

function workspaceOf(args: Record<string, unknown>, session: SessionRuntime): string {
  const id = typeof args.workspaceId === "string" ? args.workspaceId : session.sessionKey.replace(/^dream:/, "");
  return id;
}

/**
 * The Worker's cron tick: arm this workspace's Dream timer for now and return at once, so `scheduled()`
 * only fans out and the Dream runs under this Durable Object's own alarm budget.
 */
export async function pokeDream(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  const dream = session.config.agents.defaults.dream;
  if (!dream.enabled) return { armed: false, reason: "disabled" };
  const last = session.meta.get<number>("dream_last_run") ?? 0;
  if (!args.force && Date.now() - last < dream.intervalH * 3_600_000 - INTERVAL_SLACK_MS) return { armed: false, reason: "interval" };
  await session.schedule.set(DREAM_KIND, DREAM_KIND, Date.now(), { workspaceId: workspaceOf(args, session) });
  return { armed: true };
}

export async function runDreamTimer(row: ScheduleRow, session: SessionRuntime): Promise<void> {
  await runDream(session.env, session.config, workspaceOf(row.payload, session), session.meta);
}

/** `/dream`: run now and answer with the result. */
export async function runDreamNow(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  return runDream(session.env, session.config, workspaceOf(args, session), session.meta);
}
