import type { SlashCommand } from "../commands/types.ts";
import { clearGoal, getGoal, setGoal } from "./goal-store.ts";

export const goalCommand: SlashCommand = {
  name: "/goal",
  usage: "/goal [text|clear]",
  summary: "show, set or clear a sustained goal the agent keeps working toward",
  run(args, session) {
    const meta = session.runtime().meta;
    const text = args.trim();
    if (!text) {
      const goal = getGoal(meta);
      if (!goal) return "No goal set. Set one with /goal <what you want done>; end it with /goal clear.";
      const note = goal.note ? `\nNote: ${goal.note}` : "";
      return `Goal (${goal.status}): ${goal.text}${note}\nEnd it with /goal clear.`;
    }
    if (text.toLowerCase() === "clear") {
      const old = clearGoal(meta);
      return old ? `Goal cleared: ${old.text}` : "No goal was set.";
    }
    setGoal(meta, text);
    return `Goal set: ${text}\nI will keep working toward it in this chat until it is complete or blocked. /goal shows it; /goal clear ends it.`;
  },
};
