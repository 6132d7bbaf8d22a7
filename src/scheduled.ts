import { loadConfig } from "./config/load-config.ts";
import type { Config } from "./config/schema.ts";
import type { Env } from "./env.ts";
import { sessionControl } from "./session-protocol/session-control.ts";

/**
 * The Cron Trigger in wrangler.toml (every 30 minutes) is only a sweep: it makes sure every workspace has its
 * Dream and heartbeat timers armed; when they run is computed by each workspace's Durable Object from
 * `agents.defaults.dream` and `gateway.heartbeat` (durable-objects/session/periodic-timer.ts).
 */
export const SWEEP_CRON = "*/30 * * * *";

/** Pokes run in parallel batches: many workspaces, one short tick. */
const POKE_BATCH = 50;
/** Heartbeats only for workspaces someone talked to recently; idle ones have nobody to tell. */
const HEARTBEAT_ACTIVE_WITHIN_MS = 7 * 24 * 3600_000;

export type ScheduledJob = "dream" | "heartbeat";

/** Every tick sweeps both jobs, whichever cron fired it; a disabled job is not swept (its timers see that too). */
export function jobsToSweep(config: Config): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  if (config.agents.defaults.dream.enabled) jobs.push("dream");
  if (config.gateway.heartbeat.enabled) jobs.push("heartbeat");
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
  for (const job of jobsToSweep(loaded.config)) {
    const started = Date.now();
    const ids = await workspaces(env.DB, job === "heartbeat" ? Date.now() - HEARTBEAT_ACTIVE_WITHIN_MS : 0);
    let poked = 0;
    for (let i = 0; i < ids.length; i += POKE_BATCH) {
      const batch = ids.slice(i, i + POKE_BATCH);
      const settled = await Promise.allSettled(batch.map((id) => sessionControl(env, `${job}:${id}`, `${job}.poke`, { workspaceId: id })));
      settled.forEach((s, k) => {
        if (s.status === "fulfilled") poked++;
        // The next sweep pokes it again; the line says which workspace missed this one and why.
        else console.log(JSON.stringify({ event: "scheduled_poke_failed", job, workspace: batch[k], error: String(s.reason).slice(0, 200) }));
      });
    }
    console.log(JSON.stringify({ event: "scheduled", cron, job, workspaces: ids.length, poked, ms: Date.now() - started }));
    out.push({ job, poked });
  }
  return out;
}
