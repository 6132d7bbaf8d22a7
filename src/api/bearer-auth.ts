import { createMiddleware } from "hono/factory";
import { matchesSecret } from "../security/timing-safe-equal.ts";
import type { AppEnv } from "../app-env.ts";
import { openAiError } from "./openai-error.ts";

/** Requires `Authorization: Bearer <api.apiKey>`; with no key configured the API stays closed. */
export const bearerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.get("config").api.apiKey;
  if (!expected) {
    throw openAiError(
      403,
      "The API is disabled because no API key is configured. Set api.apiKey in nanobot.config.json or NANOBOT_CONFIG (`npx nanobot onboard` generates one).",
      "permission_error",
      "api_key_not_configured",
    );
  }
  const header = c.req.header("authorization");
  if (!header) throw openAiError(401, "Missing Authorization header. Use: Bearer <api_key>", "authentication_error", "missing_api_key");
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match || !(await matchesSecret(match[1].trim(), expected))) {
    throw openAiError(401, "Invalid API key", "authentication_error", "invalid_api_key");
  }
  await next();
});
