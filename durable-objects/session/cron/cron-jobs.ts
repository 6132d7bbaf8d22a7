import { nextRunAt } from "../../../src/cron/schedule.ts";
import type { CronJob, CronJobs, NewCronJob } from "../../../src/cron/types.ts";
import type { ScheduleRow } from "../alarm-schedule.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";

export const CRON_KIND = "cron";
const keyOf = (id: string) => `cron:${id}`;

/** nanobot's job ids: 8 hex characters. */
export const newJobId = () => crypto.randomUUID().replace(/-/g, "").slice(0, 8);

export function jobFromRow(row: ScheduleRow): CronJob {
  const { origin: _origin, ...p } = row.payload as unknown as Omit<CronJob, "nextRunAt"> & { origin?: unknown };
  return { ...p, nextRunAt: row.dueAt };
}

/** Keeps the D1 index (for `npx nanobot cron list`) in step with the session's schedule rows (the truth). */
async function indexJob(db: D1Database, job: CronJob): Promise<void> {
  await db
    .prepare(
      `INSERT INTO cron_jobs (id, session_key, workspace_id, name, message, schedule, next_run_at, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT(id) DO UPDATE SET next_run_at = excluded.next_run_at`,
    )
    .bind(job.id, job.sessionKey, job.workspaceId, job.name, job.message, JSON.stringify(job.schedule), job.nextRunAt, job.createdAt)
    .run();
}

export async function unindexJob(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM cron_jobs WHERE id = ?").bind(id).run();
}

const logIndexError = (err: unknown) => console.log(JSON.stringify({ event: "cron_index_failed", error: String(err).slice(0, 300) }));

/** The cron jobs of the session behind `session`: schedule rows multiplexed on its single alarm. */
export function sessionCronJobs(session: SessionRuntime, workspaceId: string, origin?: { channel: string; chatId: string }): CronJobs {
  return {
    async add(input: NewCronJob) {
      const now = Date.now();
      const next = nextRunAt(input.schedule, now);
      if (next === null) throw new Error("this schedule never runs");
      const job: CronJob = { id: newJobId(), ...input, sessionKey: session.sessionKey, workspaceId, nextRunAt: next, createdAt: now };
      const { nextRunAt: _due, ...payload } = job;
      await session.schedule.set(keyOf(job.id), CRON_KIND, next, { ...payload, origin: origin ?? null });
      await indexJob(session.env.DB, job).catch(logIndexError);
      return job;
    },
    list() {
      return session.schedule.list(CRON_KIND).map(jobFromRow);
    },
    async remove(id: string) {
      const row = session.schedule.list(CRON_KIND).find((r) => r.key === keyOf(id));
      if (!row) return null;
      await session.schedule.remove(row.key);
      await unindexJob(session.env.DB, id).catch(logIndexError);
      return jobFromRow(row);
    },
  };
}

/** nanobot's cron_reminder prompt: the turn runs in the chat that created the job. */
export function reminderText(job: CronJob): string {
  return `[Scheduled job '${job.name}' (id: ${job.id})] The scheduled time has arrived. Execute this scheduled cron job now and report the result to the user in this chat.\n\nCron job: ${job.message}`;
}

/**
 * A due job: queue its turn (the inbox row is keyed on job id + due time, so an alarm that fires twice
 * still runs it once), then re-arm recurring jobs or forget one-shot ones.
 */
export async function runCronRow(row: ScheduleRow, session: SessionRuntime): Promise<void> {
  const job = jobFromRow(row);
  const origin = (row.payload.origin ?? {}) as { channel?: string; chatId?: string };
  const [channel, ...rest] = session.sessionKey.split(":");
  await session.enqueue({
    sessionKey: session.sessionKey,
    workspaceId: job.workspaceId,
    message: { channel: origin.channel ?? channel, chatId: origin.chatId ?? rest.join(":"), senderId: "cron", text: reminderText(job) },
    dedupeKey: `cron:${job.id}:${row.dueAt}`,
    automation: "cron",
  });
  const next = nextRunAt(job.schedule, Math.max(Date.now(), row.dueAt));
  if (next === null) {
    await unindexJob(session.env.DB, job.id).catch(logIndexError);
    return;
  }
  await session.schedule.set(row.key, CRON_KIND, next, row.payload);
  await indexJob(session.env.DB, { ...job, nextRunAt: next }).catch(logIndexError);
}
