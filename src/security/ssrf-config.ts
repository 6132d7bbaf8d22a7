import type { Config } from "../config/schema.ts";
import type { SafeFetchOptions } from "./ssrf-guard.ts";

/** The guard's options as the config sets them (`tools.ssrfWhitelist`, `tools.web.dohUrl`). */
export function ssrfOptionsFromConfig(config: Config, signal?: AbortSignal): SafeFetchOptions {
  return { whitelist: config.tools.ssrfWhitelist, dohUrl: config.tools.web.dohUrl, signal };
}
