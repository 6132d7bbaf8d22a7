import type { SessionGoal } from "../../../src/tools/session-services.ts";
import type { ControlHandler } from "../control-handlers.ts";
import { getGoal } from "./goal-store.ts";

/** `goal.state`: the session's sustained goal or null, for the WebSocket's `goal_state` frames. */
export const goalStateControl: ControlHandler = async (_args, session): Promise<SessionGoal | null> => getGoal(session.meta) ?? null;
