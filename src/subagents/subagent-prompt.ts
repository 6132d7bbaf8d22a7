import type { SubagentTask } from "./types.ts";

/** The subagent's standing orders: its final answer is all the parent gets back. */
export function subagentSection(task: SubagentTask): string {
  return [
    "# Subagent",
    `You are a subagent ('${task.label}') working on one task for the main agent; nobody reads your intermediate messages.`,
    "Work with your tools until the task is done, then give a complete, self-contained final answer: the main agent sees only that.",
    "Do not ask questions; if something is missing, make a reasonable assumption and say which.",
  ].join("\n");
}
