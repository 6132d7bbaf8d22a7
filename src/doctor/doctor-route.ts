import { Hono } from "hono";
import { openAiError } from "../api/openai-error.ts";
import type { AppEnv } from "../app-env.ts";
import { matchesSecret } from "../security/timing-safe-equal.ts";
import { runDoctor } from "./run-doctor.ts";
import { doctorConfig } from "./worker-config.ts";

/**
 * `GET /admin/doctor`, owner-only (bearer api.apiKey). Mounted before the config middleware on purpose: a
 * deployed Worker with a missing secret answers every other route with 500, and this is the route that
 * says which secret. So it authenticates itself, with the key resolved as far as the config allows.
 */
export const doctorRoute = new Hono<AppEnv>().get("/", async (c) => {
  const cfg = doctorConfig(c.env);
  const expected = cfg.lenient.ok ? cfg.lenient.config.api.apiKey : "";
  if (!expected) {
    const why = cfg.strict.ok ? "no API key is configured" : `the config is invalid (${cfg.strict.error.message})`;
    throw openAiError(403, `The doctor needs api.apiKey and ${why}. Set api.apiKey (NANOBOT_API_KEY, written by \`npx nanobot onboard\`).`, "permission_error", "api_key_not_configured");
  }
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization")?.trim() ?? "");
  if (!match || !(await matchesSecret(match[1].trim(), expected))) {
    throw openAiError(401, "Invalid API key", "authentication_error", "invalid_api_key");
  }
  return c.json(await runDoctor(cfg, c.env, c.req.url));
});
