import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { openAiError } from "../api/openai-error.ts";
import type { AppEnv } from "../app-env.ts";
import { loadConfig } from "../config/load-config.ts";
import type { Config } from "../config/schema.ts";
import { limitsSchema } from "../config/sections/limits.ts";

interface BodyRule {
  /** Paths it covers, as README writes them. */
  routes: string;
  prefixes: string[];
  key: string;
  limit: (config: Config | null) => number;
}

const DEFAULT_LIMITS = limitsSchema.parse({});
const DEFAULT_API_MAX = 8 * 1024 * 1024;

/** Route family → its limit and the config key that raises it; the first matching prefix wins. */
const RULES: BodyRule[] = [
  { routes: "/v1/*", prefixes: ["/v1/"], key: "api.maxBodyBytes", limit: (c) => c?.api.maxBodyBytes ?? DEFAULT_API_MAX },
  { routes: "/webhooks/*", prefixes: ["/webhooks/"], key: "limits.webhookBodyBytes", limit: (c) => (c?.limits ?? DEFAULT_LIMITS).webhookBodyBytes },
  { routes: "/local/*", prefixes: ["/local/"], key: "limits.webhookBodyBytes", limit: (c) => (c?.limits ?? DEFAULT_LIMITS).webhookBodyBytes },
  { routes: "/webui/upload", prefixes: ["/webui/upload"], key: "limits.uploadBodyBytes", limit: (c) => (c?.limits ?? DEFAULT_LIMITS).uploadBodyBytes },
  { routes: "/triggers/*", prefixes: ["/triggers/"], key: "limits.triggerBodyBytes", limit: (c) => (c?.limits ?? DEFAULT_LIMITS).triggerBodyBytes },
];
const CONTROL_RULE: BodyRule = { routes: "this route", prefixes: [], key: "limits.controlBodyBytes", limit: (c) => (c?.limits ?? DEFAULT_LIMITS).controlBodyBytes };

function bodyRuleFor(path: string): BodyRule {
  return RULES.find((r) => r.prefixes.some((p) => path.startsWith(p) || path === p.replace(/\/$/, ""))) ?? CONTROL_RULE;
}

function formatBytes(n: number): string {
  const unit = n >= 1024 * 1024 ? { size: 1024 * 1024, name: "MB" } : { size: 1024, name: "KB" };
  const value = n / unit.size;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit.name}`;
}

function tooLarge(rule: BodyRule, limit: number): HTTPException {
  return openAiError(
    413,
    `Request body is larger than ${limit} bytes (${formatBytes(limit)}), the limit for ${rule.routes}. To accept more, raise \`${rule.key}\` in nanobot.config.json.`,
    "invalid_request_error",
    "request_too_large",
  );
}

/**
 * Caps every request body while it is read, so no route holds more than its limit in memory or stores any
 * of it. A Content-Length over the limit is refused before reading; otherwise the bytes are counted as the
 * route reads them (a missing or lying Content-Length changes nothing) and the stream is cancelled at the
 * limit. The route reads after its own authentication, so an unauthenticated caller cannot make us read.
 */
export const bodyLimit = createMiddleware<AppEnv>(async (c, next) => {
  const raw = c.req.raw;
  if (!raw.body) return next();
  const loaded = loadConfig(c.env);
  const rule = bodyRuleFor(c.req.path);
  const limit = rule.limit(loaded.ok ? loaded.config : null);
  const declared = Number(raw.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    // Not reading it: cancelling tells the runtime the rest of the upload is unwanted.
    await raw.body.cancel().catch(() => {});
    throw tooLarge(rule, limit);
  }
  let seen = 0;
  let exceeded = false;
  const counted = raw.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          exceeded = true;
          // Erroring the stream cancels the request body upstream: nothing past the limit is read.
          controller.error(tooLarge(rule, limit));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  c.req.raw = new Request(raw, { body: counted });
  await next();
  // A route that caught the read error (and answered 400, or went on with an empty body) still answers 413.
  if (exceeded) throw tooLarge(rule, limit);
});

/**
 * For `.catch()` on a body read whose parse errors have a fallback (`c.req.json().catch(orIfUnreadable({}))`):
 * the fallback covers malformed input only, never a body cut off at its limit.
 */
export const orIfUnreadable =
  <T>(fallback: T) =>
  (err: unknown): T => {
    if (err instanceof HTTPException) throw err;
    return fallback;
  };
