import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";

/** What a Worker-side check needs: the (possibly leniently resolved) config, the env and where it runs. */
export interface DoctorContext {
  config: Config;
  env: Env;
  /** This Worker's own origin, e.g. https://nanobot-edge.you.workers.dev. */
  origin: string;
  /** True under `npm start` (the request came to a loopback address), false when deployed. */
  local: boolean;
}
