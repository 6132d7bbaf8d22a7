import { z } from "zod";
import { ConfigError } from "./config-error.ts";
import { deepMerge } from "./deep-merge.ts";
import { interpolateEnv } from "./interpolate.ts";
import { normalizeConfigKeys } from "./normalize-keys.ts";
import { type Config, configSchema } from "./schema.ts";

// Pure and free of Worker-only imports, so the CLI (doctor, deploy) validates a config exactly as the Worker does.

export type ConfigResult = { ok: true; config: Config } | { ok: false; error: ConfigError };

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    const input = (issue as { input?: unknown }).input;
    const got = input === undefined ? "nothing" : input === null ? "null" : Array.isArray(input) ? "array" : typeof input;
    return `expected ${issue.expected}, got ${got}`;
  }
  return issue.message;
}

function parseOverride(raw: string | undefined): unknown {
  if (!raw || !raw.trim()) return {};
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new ConfigError("NANOBOT_CONFIG", `not valid JSON (${(err as Error).message})`);
  }
}

/** Merges, interpolates and validates the config. Pure: the same inputs give the same result. */
export function loadConfigFrom(bundled: unknown, override: string | undefined, env: Record<string, unknown>): ConfigResult {
  try {
    const merged = deepMerge(normalizeConfigKeys(bundled ?? {}), normalizeConfigKeys(parseOverride(override)));
    if (typeof merged !== "object" || merged === null || Array.isArray(merged)) {
      throw new ConfigError("(root)", "the config must be a JSON object");
    }
    const parsed = configSchema.safeParse(interpolateEnv(merged, env));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigError(issue.path.join(".") || "(root)", describeIssue(issue));
    }
    const error = crossCheck(parsed.data);
    if (error) throw error;
    return { ok: true, config: parsed.data };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, error: err };
    throw err;
  }
}

function crossCheck(config: Config): ConfigError | null {
  const presets = config.modelPresets;
  if ("default" in presets) return new ConfigError("modelPresets.default", "'default' is reserved for agents.defaults");
  const preset = config.agents.defaults.modelPreset;
  if (preset && preset !== "default" && !presets[preset]) {
    return new ConfigError("agents.defaults.modelPreset", `unknown preset '${preset}'`);
  }
  const fallbacks = config.agents.defaults.fallbackModels;
  for (const [i, fb] of fallbacks.entries()) {
    if (typeof fb === "string" && !presets[fb]) {
      return new ConfigError(`agents.defaults.fallbackModels.${i}`, `unknown preset '${fb}'`);
    }
  }
  return null;
}

/** The config file as text (its name is used in messages), NANOBOT_CONFIG, and the env for `${VAR}`. */
export interface ConfigFile {
  name: string;
  text: string;
}

export function resolveConfig(file: ConfigFile, override: string | undefined, env: Record<string, unknown>): ConfigResult {
  let parsed: unknown;
  try {
    parsed = file.text.trim() ? JSON.parse(file.text) : {};
  } catch (err) {
    return { ok: false, error: new ConfigError(file.name, `not valid JSON (${(err as Error).message})`) };
  }
  return loadConfigFrom(parsed, override, env);
}
