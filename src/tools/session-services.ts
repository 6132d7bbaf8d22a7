import type { CronJobs } from "../cron/types.ts";

export type GoalStatus = "active" | "complete" | "blocked";

export interface SessionGoal {
  text: string;
  status: GoalStatus;
  note?: string;
  setAt: number;
  updatedAt: number;
}

/**
 * What the session running a turn offers its tools (cron jobs, the sustained goal). Absent for stateless
 * API turns, so tools that need a chat session can say so.
 */
export interface SessionServices {
  workspaceId: string;
  /** Set when the turn was started by a timer or trigger ("cron", "trigger", …) rather than a person. */
  automation?: string;
  cron: CronJobs;
  goal: {
    get(): SessionGoal | undefined;
    update(status: GoalStatus, note?: string): SessionGoal | undefined;
  };
}
