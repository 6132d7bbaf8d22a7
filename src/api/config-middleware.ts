import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.ts";
import { configRevision, loadConfig } from "../config/load-config.ts";

/** On /health: which config text this Worker runs, so `npm start` knows when an edit is live (never the text itself). */
export const CONFIG_REVISION_HEADER = "X-Nanobot-Config-Revision";

/** The last problem logged: one line per problem, not one per request (`npm start` polls /health). */
let loggedProblem: string | null = null;

/**
 * Loads the config for every request. An invalid config answers every route with the path and problem
 * (never a secret): /health with 503 so monitors notice, everything else with 500.
 */
export const configMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.path === "/health") c.header(CONFIG_REVISION_HEADER, configRevision);
  const result = loadConfig(c.env);
  if (!result.ok) {
    if (loggedProblem !== result.error.message) console.log(JSON.stringify({ event: "config_invalid", error: result.error.message }));
    loggedProblem = result.error.message;
    const status = c.req.path === "/health" ? 503 : 500;
    if (c.req.path.startsWith("/v1/")) {
      return c.json({ error: { message: `Invalid configuration: ${result.error.message}`, type: "server_error", code: "invalid_config" } }, status);
    }
    return c.json({ status: "error", error: result.error.message }, status);
  }
  c.set("config", result.config);
  await next();
});
