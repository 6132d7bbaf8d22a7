import { findProjectRoot, readDevVars, readProjectConfig } from "./project.ts";

export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:8787";

export interface Connection {
  url: string;
  apiKey: string | null;
  /** Where the key came from, for error messages ("--api-key", "NANOBOT_API_KEY", "/path/.dev.vars"). */
  keySource: string | null;
}

export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
}

/** Replaces `${VAR}` like the Worker does; null when a referenced variable is not defined. */
function interpolate(value: string, vars: Record<string, string | undefined>): string | null {
  let missing = false;
  const out = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) missing = true;
    return v ?? "";
  });
  return missing ? null : out;
}

function configApiKey(config: Record<string, unknown> | null): string | null {
  const api = config?.api;
  if (!api || typeof api !== "object") return null;
  const record = api as Record<string, unknown>;
  const key = record.apiKey ?? record.api_key;
  return typeof key === "string" && key !== "" ? key : null;
}

/**
 * Gateway URL: `--url`, else NANOBOT_URL, else the local default.
 * API key: `--api-key`, else NANOBOT_API_KEY, else the project's own files when run inside the project folder:
 * `api.apiKey` of nanobot.config.json (with `${VAR}` taken from .dev.vars), else NANOBOT_API_KEY in .dev.vars.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string): Connection {
  const url = (flags.url ?? env.NANOBOT_URL ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, "");
  if (flags.apiKey) return { url, apiKey: flags.apiKey, keySource: "--api-key" };
  if (env.NANOBOT_API_KEY) return { url, apiKey: env.NANOBOT_API_KEY, keySource: "NANOBOT_API_KEY" };
  const root = findProjectRoot(cwd);
  if (!root) return { url, apiKey: null, keySource: null };
  const devVars = readDevVars(root);
  const fromConfig = configApiKey(readProjectConfig(root));
  if (fromConfig) {
    const key = interpolate(fromConfig, { ...devVars });
    if (key) return { url, apiKey: key, keySource: `api.apiKey in ${root}/nanobot.config.json` };
  }
  if (devVars.NANOBOT_API_KEY) return { url, apiKey: devVars.NANOBOT_API_KEY, keySource: `NANOBOT_API_KEY in ${root}/.dev.vars` };
  return { url, apiKey: null, keySource: null };
}
