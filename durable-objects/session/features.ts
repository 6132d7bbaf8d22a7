/**
 * Registers the memory and time features with the session: timer kinds, control requests and slash
 * commands. Imported once by session-do.ts.
 */
import { registerCommand } from "./commands/command-router.ts";
import { registerControl } from "./control-handlers.ts";
import { registerCronControls } from "./cron/cron-controls.ts";
import { CRON_KIND, runCronRow } from "./cron/cron-jobs.ts";
import { dreamCommand, dreamLogCommand, dreamRestoreCommand } from "./dream/dream-commands.ts";
import { DREAM_KIND, pokeDream, runDreamTimer, runDreamNow } from "./dream/dream-timer.ts";
import { goalCommand } from "./goal/goal-command.ts";
import { goalStateControl } from "./goal/goal-control.ts";
import { HEARTBEAT_KIND, pokeHeartbeat, runHeartbeatTimer } from "./heartbeat/heartbeat-timer.ts";
import { IDLE_COMPACT_KIND, runIdleCompact } from "./memory/idle-compact.ts";
import { registerScheduleHandler } from "./schedule-handlers.ts";
import { notifyControl } from "./notify-control.ts";
import { triggerCommand } from "./triggers/trigger-command.ts";

registerScheduleHandler(IDLE_COMPACT_KIND, (_row, session) => runIdleCompact(session));
registerScheduleHandler(CRON_KIND, runCronRow);
registerScheduleHandler(DREAM_KIND, runDreamTimer);
registerScheduleHandler(HEARTBEAT_KIND, runHeartbeatTimer);

registerControl("dream.poke", pokeDream);
registerControl("dream.run", runDreamNow);
registerControl("heartbeat.poke", pokeHeartbeat);
registerControl("notify", notifyControl);
registerControl("goal.state", goalStateControl);
registerCronControls();

registerCommand(goalCommand);
registerCommand(dreamCommand);
registerCommand(dreamLogCommand);
registerCommand(dreamRestoreCommand);
registerCommand(triggerCommand);
