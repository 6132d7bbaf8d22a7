import type { Config } from "../config/schema.ts";
import type { SafeFetchOptions } from "./ssrf-guard.ts";

const DEFAULT_DOH_URL = "https://cloudflare-dns.com/dns-query";

/**
 * The guard's options as the config sets them (`tools.ssrfWhitelist`, `tools.web.dohUrl`). With "auto" the
 * Worker var NANOBOT_DOH_URL decides (wrangler.toml sets it empty for local development, which is offline);
 * deployed Workers fall back to Cloudflare's resolver.
 */
export function ssrfOptionsFromConfig(config: Config, env: Record<string, unknown>, signal?: AbortSignal): SafeFetchOptions {
  const configured = config.tools.web.dohUrl;
  const fromEnv = typeof env.NANOBOT_DOH_URL === "string" ? env.NANOBOT_DOH_URL : DEFAULT_DOH_URL;
  return { whitelist: config.tools.ssrfWhitelist, dohUrl: configured === "auto" ? fromEnv : configured, signal };
}
