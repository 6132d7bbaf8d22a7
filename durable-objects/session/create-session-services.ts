import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import type { SessionServices } from "../../src/tools/session-services.ts";
import { sessionCronJobs } from "./cron/cron-jobs.ts";
import { getGoal, updateGoal } from "./goal/goal-store.ts";
import type { SessionRuntime } from "./schedule-handlers.ts";

/** What tools of a turn in this session may use (cron jobs, the goal). */
export function createSessionServices(session: SessionRuntime, request: TurnRequest): SessionServices {
  return {
    workspaceId: request.workspaceId,
    automation: request.automation,
    cron: sessionCronJobs(session, request.workspaceId, { channel: request.message.channel, chatId: request.message.chatId }),
    goal: {
      get: () => getGoal(session.meta),
      update: (status, note) => updateGoal(session.meta, status, note),
    },
  };
}
