import { ConfigError } from "./config-error.ts";
import { deepMerge } from "./deep-merge.ts";
import { describeIssue } from "./describe-issue.ts";
import { interpolateEnv } from "./interpolate.ts";
import { findJsonSyntaxProblem } from "./json-syntax.ts";
import { normalizeConfigKeys } from "./normalize-keys.ts";
import { type Config, configSchema } from "./schema.ts";

// Pure and free of Worker-only imports, so the CLI (doctor, deploy) validates a config exactly as the Worker does.

export type ConfigResult = { ok: true; config: Config } | { ok: false; error: ConfigError };

/** The config file as text (its name is used in messages), NANOBOT_CONFIG, and the env for `${VAR}`. */
export interface ConfigFile {
  name: string;
  text: string;
}

/** Parses JSON text; a syntax error names the source, line and column (`nanobot.config.json: line 4, column 3: …`). */
export function parseConfigText(name: string, text: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects although it is invisible.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const problem = findJsonSyntaxProblem(body);
    if (problem) throw new ConfigError(name, `line ${problem.line}, column ${problem.column}: ${problem.problem}`);
    throw new ConfigError(name, `not valid JSON (${(err as Error).message})`);
  }
}

function parseOverride(raw: string | undefined): unknown {
  // An unset or empty NANOBOT_CONFIG means "no override".
  if (!raw || !raw.trim()) return {};
  return parseConfigText("NANOBOT_CONFIG", raw);
}

/** Merges, interpolates and validates the config. Pure: the same inputs give the same result. */
export function loadConfigFrom(bundled: unknown, override: string | undefined, env: Record<string, unknown>): ConfigResult {
  try {
    return validate("the bundled config", bundled ?? {}, parseOverride(override), env);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, error: err };
    throw err;
  }
}

function validate(fileName: string, fileValue: unknown, overrideValue: unknown, env: Record<string, unknown>): ConfigResult {
  for (const [name, value] of [[fileName, fileValue], ["NANOBOT_CONFIG", overrideValue]] as const) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ConfigError(name, `must be a JSON object ({…}), got ${Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`}`);
    }
  }
  const merged = deepMerge(normalizeConfigKeys(fileValue), normalizeConfigKeys(overrideValue));
  // reportInput: so a type error can name the type received (only the type is reported, never the value).
  const parsed = configSchema.safeParse(interpolateEnv(merged, env), { reportInput: true });
  if (!parsed.success) throw describeIssue(configSchema, parsed.error.issues, [fileValue, overrideValue]);
  const error = crossCheck(parsed.data);
  if (error) throw error;
  return { ok: true, config: parsed.data };
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

/** The whole pipeline from the config file's text: syntax, merge with NANOBOT_CONFIG, `${VAR}`, schema. */
export function resolveConfig(file: ConfigFile, override: string | undefined, env: Record<string, unknown>): ConfigResult {
  try {
    return validate(file.name, parseConfigText(file.name, file.text), parseOverride(override), env);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, error: err };
    throw err;
  }
}
