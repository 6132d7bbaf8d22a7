import type { ScheduleRow } from "../alarm-schedule.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { runHeartbeat } from "./heartbeat-run.ts";

export const HEARTBEAT_KIND = "heartbeat";
export const heartbeatSessionKey = (workspaceId: string) => `heartbeat:${workspaceId}`;

const INTERVAL_SLACK_MS = 60_000;

const workspaceOf = (args: Record<string, unknown>, session: SessionRuntime) =>
  typeof args.workspaceId === "string" ? args.workspaceId : session.sessionKey.replace(/^heartbeat:/, "");

/** The Worker's cron tick: arm the heartbeat for now (if `gateway.heartbeat.intervalS` has passed) and return. */
export async function pokeHeartbeat(args: Record<string, unknown>, session: SessionRuntime): Promise<unknown> {
  const hb = session.config.gateway.heartbeat;
  if (!hb.enabled) return { armed: false, reason: "disabled" };
  const last = session.meta.get<number>("heartbeat_last_run") ?? 0;
  if (!args.force && Date.now() - last < hb.intervalS * 1000 - INTERVAL_SLACK_MS) return { armed: false, reason: "interval" };
  await session.schedule.set(HEARTBEAT_KIND, HEARTBEAT_KIND, Date.now(), { workspaceId: workspaceOf(args, session), tick: Date.now() });
  return { armed: true };
}

export async function runHeartbeatTimer(row: ScheduleRow, session: SessionRuntime): Promise<void> {
  session.meta.set("heartbeat_last_run", Date.now());
  const status = await runHeartbeat(session.env, session.config, session.outbounds, workspaceOf(row.payload, session), Number(row.payload.tick ?? row.dueAt));
  session.meta.set("heartbeat_last_status", status);
}
