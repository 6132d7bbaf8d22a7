import { ConfigError } from "./config-error.ts";

/**
 * Where a `${VAR}` comes from, so the message says what to do: `npm start` reads .dev.vars (and reloads when it
 * changes), a deployed Worker reads its secrets (`wrangler secret put` deploys a new version, no redeploy needed).
 */
export function missingVariable(name: string): string {
  return (
    `environment variable '${name}' is not set (locally: add ${name}=… to .dev.vars, npm start reloads by itself when .dev.vars changes; ` +
    `deployed: npx wrangler secret put ${name} --env production)`
  );
}

const VAR_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${VAR}` in every string of the config from the Worker env; a missing variable names its config path. */
export function interpolateEnv(value: unknown, env: Record<string, unknown>, path: string[] = []): unknown {
  if (typeof value === "string") {
    return value.replace(VAR_PATTERN, (_, name: string) => {
      const found = env[name];
      if (typeof found !== "string") {
        throw new ConfigError(path.join(".") || "(root)", missingVariable(name));
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, [...path, String(i)]));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, [...path, k])]));
  }
  return value;
}
