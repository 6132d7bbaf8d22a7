import { loadConfig } from "./config/load-config.ts";
import type { Env } from "./env.ts";
import { sessionControl } from "./session-protocol/session-control.ts";

/** The Cron Triggers in wrangler.toml: heartbeat every 30 minutes, Dream every 2 hours. */
export const HEARTBEAT_CRON = "*/30 * * * *";
export const DREAM_CRON = "0 */2 * * *";

/** Pokes run in parallel batches: many workspaces, one short tick. */
const POKE_BATCH = 50;
/** Heartbeats only for workspaces someone talked to recently; idle ones have nobody to tell. */
const HEARTBEAT_ACTIVE_WITHIN_MS = 7 * 24 * 3600_000;

export type ScheduledJob = "dream" | "heartbeat";

export function jobsForCron(cron: string, dreamCron: string | null): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  if (cron === DREAM_CRON || (dreamCron && cron === dreamCron)) jobs.push("dream");
  if (cron === HEARTBEAT_CRON) jobs.push("heartbeat");
  return jobs;
}

async function workspaces(db: D1Database, activeSince: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT workspace_id FROM sessions WHERE session_key NOT LIKE 'dream:%' AND session_key NOT LIKE 'heartbeat:%'
       GROUP BY workspace_id HAVING MAX(last_active_at) >= ? ORDER BY workspace_id`,
    )
    .bind(activeSince)
    .all<{ workspace_id: string }>();
  return results.map((r) => r.workspace_id);
}

/**
 * `scheduled()` only enumerates workspaces from D1 and pokes one Durable Object per workspace; the Dream or
 * heartbeat itself runs later under that object's alarm, with its own CPU budget.
 */
export async function runScheduled(cron: string, env: Env): Promise<{ job: ScheduledJob; poked: number }[]> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    console.log(JSON.stringify({ event: "scheduled_config_error", error: loaded.error.message }));
    return [];
  }
  const out: { job: ScheduledJob; poked: number }[] = [];
  for (const job of jobsForCron(cron, loaded.config.agents.defaults.dream.cron)) {
    const started = Date.now();
    const ids = await workspaces(env.DB, job === "heartbeat" ? Date.now() - HEARTBEAT_ACTIVE_WITHIN_MS : 0);
    let poked = 0;
    for (let i = 0; i < ids.length; i += POKE_BATCH) {
      const settled = await Promise.allSettled(ids.slice(i, i + POKE_BATCH).map((id) => sessionControl(env, `${job}:${id}`, `${job}.poke`, { workspaceId: id })));
      poked += settled.filter((s) => s.status === "fulfilled").length;
    }
    console.log(JSON.stringify({ event: "scheduled", job, workspaces: ids.length, poked, ms: Date.now() - started }));
    out.push({ job, poked });
  }
  return out;
}
