import { historyCommand, modelCommand, newCommand, stopCommand } from "../../durable-objects/session/commands/basic-commands.ts";
import { statusCommand } from "../../durable-objects/session/commands/status-command.ts";
import type { SlashCommand } from "../../durable-objects/session/commands/types.ts";
import type { ControlHandler } from "../../durable-objects/session/control-handlers.ts";
import { cronControls } from "../../durable-objects/session/cron/cron-controls.ts";
import { CRON_KIND, runCronRow } from "../../durable-objects/session/cron/cron-jobs.ts";
import { dreamCommand, dreamLogCommand, dreamRestoreCommand } from "../../durable-objects/session/dream/dream-commands.ts";
import { DREAM_KIND, pokeDream, runDreamNow, runDreamTimer } from "../../durable-objects/session/dream/dream-timer.ts";
import { goalCommand } from "../../durable-objects/session/goal/goal-command.ts";
import { goalStateControl } from "../../durable-objects/session/goal/goal-control.ts";
import { HEARTBEAT_KIND, pokeHeartbeat, runHeartbeatTimer } from "../../durable-objects/session/heartbeat/heartbeat-timer.ts";
import { IDLE_COMPACT_KIND, runIdleCompact } from "../../durable-objects/session/memory/idle-compact.ts";
import { notifyControl } from "../../durable-objects/session/notify-control.ts";
import type { ScheduleHandler } from "../../durable-objects/session/schedule-handlers.ts";
import type { SessionWiring } from "../../durable-objects/session/session-wiring.ts";
import { triggerCommand } from "../../durable-objects/session/triggers/trigger-command.ts";
import { pairingCommand } from "../pairing/pairing-command.ts";
import { CHANNELS, OUTBOUNDS } from "./channels.ts";

/** Slash commands, one line each, in the order `/help` lists them (after `/help` itself). */
const COMMANDS: readonly SlashCommand[] = [
  newCommand,
  stopCommand,
  statusCommand,
  modelCommand,
  historyCommand,
  pairingCommand,
  goalCommand,
  dreamCommand,
  dreamLogCommand,
  dreamRestoreCommand,
  triggerCommand,
];

/** Alarm rows by kind: what runs when a timer of that kind comes due. */
const TIMERS = new Map<string, ScheduleHandler>([
  [IDLE_COMPACT_KIND, (_row, session) => runIdleCompact(session)],
  [CRON_KIND, runCronRow],
  [DREAM_KIND, runDreamTimer],
  [HEARTBEAT_KIND, runHeartbeatTimer],
]);

/** Requests through the session's `control` RPC (cron ticks, /api/cron, notifications), by name. */
const CONTROLS = new Map<string, ControlHandler>([
  ["dream.poke", pokeDream],
  ["dream.run", runDreamNow],
  ["heartbeat.poke", pokeHeartbeat],
  ["notify", notifyControl],
  ["goal.state", goalStateControl],
  ...cronControls,
]);

/** The session object's composition root: durable-objects/session-do.ts takes this as its default wiring. */
export const SESSION_WIRING: SessionWiring = { commands: COMMANDS, timers: TIMERS, controls: CONTROLS, outbounds: OUTBOUNDS, channels: CHANNELS };
