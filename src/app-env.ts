import type { Config } from "./config/schema.ts";
import type { Env } from "./env.ts";

/** Hono typing for the app: bindings plus what middleware puts on the context. */
export interface AppEnv {
  Bindings: Env;
  Variables: { config: Config };
}
