import type { Outbounds } from "../../src/channels/outbound.ts";
import type { ChannelAdapter } from "../../src/channels/types.ts";
import type { SlashCommand } from "./commands/types.ts";
import type { ControlHandlers } from "./control-handlers.ts";
import type { ScheduleHandlers } from "./schedule-handlers.ts";

/**
 * Everything a session object does beyond its inbox and turn, handed to it as values by the composition root
 * (src/wiring/session.ts): nothing reaches the object by a module being imported.
 */
export interface SessionWiring {
  /** Slash commands besides `/help` (which lists them), in the order `/help` shows them. */
  commands: readonly SlashCommand[];
  /** Alarm rows by kind. */
  timers: ScheduleHandlers;
  /** Requests through the `control` RPC by name. */
  controls: ControlHandlers;
  /** Where replies and proactive messages go, by channel. */
  outbounds: Outbounds;
  /** The chat platforms, for what the alarm does with a message after it was stored (downloading its files). */
  channels: readonly ChannelAdapter[];
}
