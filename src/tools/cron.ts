import { z } from "zod";
import { ScheduleError, describeSchedule, parseSchedule } from "../cron/schedule.ts";
import type { CronJob } from "../cron/types.ts";
import { ToolError, defineTool } from "./types.ts";

const fmtTime = (ms: number | null) => (ms === null ? "never" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));

export function formatJob(job: CronJob): string {
  return `- ${job.name} (id: ${job.id}, ${describeSchedule(job.schedule)}) next run: ${fmtTime(job.nextRunAt)}`;
}

/** nanobot's `cron` tool: reminders and recurring tasks that run as a turn in this chat. */
export const cronTool = defineTool({
  name: "cron",
  description:
    "Schedule reminders and recurring tasks in this chat. action 'add' needs message and one of every_seconds, cron_expr (5 fields, with optional IANA tz) or at (ISO date-time); " +
    "'list' shows this chat's jobs; 'remove' needs job_id. Turn phrases like 'every weekday at 9' into cron_expr '0 9 * * 1-5'.",
  parameters: z.object({
    action: z.enum(["add", "list", "remove"]).describe("add, list or remove"),
    name: z.string().optional().describe("Short name (default: the start of the message)."),
    message: z.string().optional().describe("What to do or say when the job runs."),
    every_seconds: z.number().int().optional().describe("Repeat every N seconds."),
    cron_expr: z.string().optional().describe("Cron expression, e.g. '0 9 * * 1-5'."),
    tz: z.string().optional().describe("IANA time zone for cron_expr, e.g. 'Europe/Berlin' (default: agents.defaults.timezone)."),
    at: z.string().optional().describe("Run once at this ISO date-time; without an offset it is read in agents.defaults.timezone."),
    job_id: z.string().optional().describe("Job id for remove."),
  }),
  async execute(args, ctx) {
    const session = ctx.session;
    if (!session) throw new ToolError("scheduled cron jobs must be created from a chat session");
    if (args.action === "list") {
      const jobs = session.cron.list();
      return jobs.length ? `Scheduled jobs:\n${jobs.map(formatJob).join("\n")}` : "No scheduled jobs in this chat.";
    }
    if (args.action === "remove") {
      if (!args.job_id) throw new ToolError("remove needs job_id (see action 'list').");
      const removed = await session.cron.remove(args.job_id.trim());
      if (!removed) throw new ToolError(`no job with id '${args.job_id}' in this chat (see action 'list').`);
      return `Removed job '${removed.name}' (id: ${removed.id})`;
    }
    if (session.automation === "cron") throw new ToolError("cannot schedule new jobs from inside a running cron job.");
    const message = args.message?.trim();
    if (!message) throw new ToolError("add needs a non-empty message.");
    let schedule;
    try {
      schedule = parseSchedule(args, ctx.config.agents.defaults.timezone);
    } catch (err) {
      if (err instanceof ScheduleError) throw new ToolError(err.message);
      throw err;
    }
    const job = await session.cron.add({ name: args.name?.trim() || message.slice(0, 30), message, schedule });
    return `Created job '${job.name}' (id: ${job.id}); ${describeSchedule(job.schedule)}, next run ${fmtTime(job.nextRunAt)}`;
  },
});
