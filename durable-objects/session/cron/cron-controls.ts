import { ScheduleError, parseSchedule, type ScheduleInput } from "../../../src/cron/schedule.ts";
import { workspaceIdFor } from "../../../src/session-protocol/workspace-id.ts";
import { registerControl } from "../control-handlers.ts";
import { originOf } from "../origin.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import { sessionCronJobs } from "./cron-jobs.ts";

/** Where a job added from outside (CLI) is delivered: the chat the session last heard from, else its key. */
function targetOf(session: SessionRuntime) {
  const origin = originOf(session.meta);
  const [channel, ...rest] = session.sessionKey.split(":");
  const chat = origin ?? { channel, chatId: rest.join(":"), senderId: rest.join(":") };
  const workspaceId = session.workspaceId ?? workspaceIdFor(session.config, { channel: chat.channel, senderId: chat.senderId });
  return { workspaceId, origin: { channel: chat.channel, chatId: chat.chatId } };
}

/** `/api/cron` → the session that owns the job. Errors come back as `{error}` so the route can answer 400. */
export function registerCronControls(): void {
  registerControl("cron.add", async (args, session) => {
    const input = args as ScheduleInput & { name?: string; message?: string };
    const message = input.message?.trim();
    if (!message) return { error: "message is required" };
    try {
      const schedule = parseSchedule(input, session.config.agents.defaults.timezone);
      const { workspaceId, origin } = targetOf(session);
      const job = await sessionCronJobs(session, workspaceId, origin).add({ name: input.name?.trim() || message.slice(0, 30), message, schedule });
      return { job };
    } catch (err) {
      if (err instanceof ScheduleError) return { error: err.message };
      throw err;
    }
  });
  registerControl("cron.remove", async (args, session) => {
    const { workspaceId } = targetOf(session);
    const job = await sessionCronJobs(session, workspaceId).remove(String(args.id));
    return job ? { job } : { error: `no job with id '${String(args.id)}' in ${session.sessionKey}` };
  });
  registerControl("cron.list", async (_args, session) => ({ jobs: sessionCronJobs(session, targetOf(session).workspaceId).list() }));
}
