import { z } from "zod";
import { ToolError, defineTool } from "./types.ts";

/** Offered only while the session has an active goal (see durable-objects/session/goal). */
export const goalUpdateTool = defineTool({
  name: "goal_update",
  description: "Mark the session's sustained goal as complete (achieved) or blocked (cannot progress without the user).",
  parameters: z.object({
    status: z.enum(["complete", "blocked"]).describe("complete: the goal is achieved; blocked: you need the user to continue."),
    note: z.string().optional().describe("One sentence: what was achieved, or what you need."),
  }),
  async execute({ status, note }, ctx) {
    if (!ctx.session) throw new ToolError("goals exist only in chat sessions.");
    const goal = ctx.session.goal.update(status, note);
    if (!goal) throw new ToolError("there is no goal in this session; the user sets one with /goal <text>.");
    return `Goal marked ${status}: ${goal.text}`;
  },
});
