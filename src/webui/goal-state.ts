import type { Env } from "../env.ts";
import { sessionControl } from "../session-protocol/session-control.ts";
import type { SessionGoal } from "../tools/session-services.ts";
import type { GoalStateBlob } from "./protocol.ts";

/** nanobot's `goal_state` blob (session/goal_state.py goal_state_ws_blob): only active or blocked goals show. */
export function goalBlob(goal: SessionGoal | null): GoalStateBlob {
  if (!goal || (goal.status !== "active" && goal.status !== "blocked")) return { active: false };
  const objective = goal.text.trim();
  return {
    active: goal.status === "active",
    status: goal.status,
    ...(objective ? { objective: objective.length > 240 ? `${objective.slice(0, 240).trimEnd()}…` : objective } : {}),
    ...(goal.note?.trim() ? { recap: goal.note.trim().slice(0, 240) } : {}),
  };
}

export const readGoalState = async (env: Env, sessionKey: string): Promise<GoalStateBlob> =>
  goalBlob(await sessionControl<SessionGoal | null>(env, sessionKey, "goal.state"));
