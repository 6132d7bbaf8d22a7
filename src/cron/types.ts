import type { CronSchedule } from "./schedule.ts";

/** A reminder or recurring task; it belongs to the session (chat) that created it and runs there. */
export interface CronJob {
  id: string;
  name: string;
  message: string;
  schedule: CronSchedule;
  sessionKey: string;
  workspaceId: string;
  nextRunAt: number | null;
  createdAt: number;
}

export interface NewCronJob {
  name: string;
  message: string;
  schedule: CronSchedule;
}

/** The cron jobs of one session, as the `cron` tool and the /api/cron route see them. */
export interface CronJobs {
  add(job: NewCronJob): Promise<CronJob>;
  list(): CronJob[];
  remove(id: string): Promise<CronJob | null>;
}
