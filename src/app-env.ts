import type { Outbounds } from "./channels/outbound.ts";
import type { ChannelAdapter } from "./channels/types.ts";
import type { Config } from "./config/schema.ts";
import type { Env } from "./env.ts";

/** What the Worker's composition root (src/wiring/worker.ts) hands to the app: the channels and their outbounds. */
export interface WorkerWiring {
  channels: readonly ChannelAdapter[];
  outbounds: Outbounds;
}

/** Hono typing for the app: bindings plus what middleware puts on the context (the config, the wiring). */
export interface AppEnv {
  Bindings: Env;
  Variables: { config: Config } & WorkerWiring;
}
