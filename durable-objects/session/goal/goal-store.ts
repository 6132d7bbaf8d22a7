import type { GoalStatus, SessionGoal } from "../../../src/tools/session-services.ts";
import type { MetaStore } from "../meta-store.ts";

export function getGoal(meta: MetaStore): SessionGoal | undefined {
  return meta.get<SessionGoal>("goal");
}

export function setGoal(meta: MetaStore, text: string, now = Date.now()): SessionGoal {
  const goal: SessionGoal = { text, status: "active", setAt: now, updatedAt: now };
  meta.set("goal", goal);
  return goal;
}

export function clearGoal(meta: MetaStore): SessionGoal | undefined {
  const goal = getGoal(meta);
  meta.set("goal", null);
  return goal;
}

export function updateGoal(meta: MetaStore, status: GoalStatus, note?: string, now = Date.now()): SessionGoal | undefined {
  const goal = getGoal(meta);
  if (!goal) return undefined;
  const next: SessionGoal = { ...goal, status, note: note ?? goal.note, updatedAt: now };
  meta.set("goal", next);
  return next;
}

/** The prompt section that keeps the model working toward an active goal across turns. */
export function goalSection(meta: MetaStore): string {
  const goal = getGoal(meta);
  if (!goal || goal.status !== "active") return "";
  return [
    "# Current Goal",
    "",
    `The user set a sustained goal for this conversation: ${goal.text}`,
    "Keep working toward it in every turn: make concrete progress, say what is done and what is next.",
    "When the goal is achieved call goal_update with status \"complete\"; if you cannot make progress without the user, call goal_update with status \"blocked\" and say what you need.",
  ].join("\n");
}
