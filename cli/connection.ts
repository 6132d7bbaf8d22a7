import { UsageError } from "./cli-error.ts";
import { findProjectRoot, readDevVars, readProjectConfig } from "./project.ts";

export const DEFAULT_GATEWAY_URL = "http://127.0.0.1:8787";
/** The gateway must answer a request (status and headers) within this many seconds. */
export const DEFAULT_TIMEOUT_S = 30;
/** A turn may stay silent this long: the model thinking, or tools running, before the next piece of reply. */
export const DEFAULT_REPLY_TIMEOUT_S = 300;

export interface Connection {
  url: string;
  apiKey: string | null;
  /** Where the key came from, for error messages ("--api-key", "NANOBOT_API_KEY", "/path/.dev.vars"). */
  keySource: string | null;
  /** --timeout / NANOBOT_TIMEOUT in seconds (default DEFAULT_TIMEOUT_S). */
  timeoutS?: number;
  /** --reply-timeout / NANOBOT_REPLY_TIMEOUT in seconds (default DEFAULT_REPLY_TIMEOUT_S). */
  replyTimeoutS?: number;
}

export interface ConnectionFlags {
  url?: string;
  apiKey?: string;
  timeout?: string;
  replyTimeout?: string;
}

function seconds(value: string | undefined, flag: string, envName: string, env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = value ?? env[envName];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${value !== undefined ? flag : envName} must be a number of seconds greater than 0 (got "${raw}").`);
  }
  return n;
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
 * Timeouts: --timeout / NANOBOT_TIMEOUT and --reply-timeout / NANOBOT_REPLY_TIMEOUT, in seconds.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string): Connection {
  const base = {
    url: (flags.url ?? env.NANOBOT_URL ?? DEFAULT_GATEWAY_URL).replace(/\/+$/, ""),
    timeoutS: seconds(flags.timeout, "--timeout", "NANOBOT_TIMEOUT", env, DEFAULT_TIMEOUT_S),
    replyTimeoutS: seconds(flags.replyTimeout, "--reply-timeout", "NANOBOT_REPLY_TIMEOUT", env, DEFAULT_REPLY_TIMEOUT_S),
  };
  const key = findApiKey(flags, env, cwd);
  return { ...base, apiKey: key?.apiKey ?? null, keySource: key?.keySource ?? null };
}

function findApiKey(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string): { apiKey: string; keySource: string } | null {
  if (flags.apiKey) return { apiKey: flags.apiKey, keySource: "--api-key" };
  if (env.NANOBOT_API_KEY) return { apiKey: env.NANOBOT_API_KEY, keySource: "the NANOBOT_API_KEY environment variable" };
  const root = findProjectRoot(cwd);
  if (!root) return null;
  const devVars = readDevVars(root);
  const fromConfig = configApiKey(readProjectConfig(root));
  if (fromConfig) {
    const key = interpolate(fromConfig, { ...devVars });
    // `${NANOBOT_API_KEY}` (what onboard writes): the key itself lives in .dev.vars, so that is its source.
    const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(fromConfig)?.[1];
    if (key && ref) return { apiKey: key, keySource: `${ref} in ${root}/.dev.vars` };
    if (key) return { apiKey: key, keySource: `api.apiKey in ${root}/nanobot.config.json` };
  }
  if (devVars.NANOBOT_API_KEY) return { apiKey: devVars.NANOBOT_API_KEY, keySource: `NANOBOT_API_KEY in ${root}/.dev.vars` };
  return null;
}

/** The connection for a command's parsed connectionOptions (plus --reply-timeout where the command has it). */
export function connectionFromFlags(values: { url?: string; "api-key"?: string; timeout?: string; "reply-timeout"?: string }): Connection {
  return resolveConnection(
    { url: values.url, apiKey: values["api-key"], timeout: values.timeout, replyTimeout: values["reply-timeout"] },
    process.env,
    process.cwd(),
  );
}
