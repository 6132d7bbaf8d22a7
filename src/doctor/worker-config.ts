import configFile from "nanobot-config";
import { deepMerge } from "../config/deep-merge.ts";
import { normalizeConfigKeys } from "../config/normalize-keys.ts";
import { type ConfigResult, parseConfigText, resolveConfig } from "../config/resolve-config.ts";
import type { Env } from "../env.ts";
import { unsetVars, varReferences, type VarReference } from "./var-references.ts";

export interface DoctorConfig {
  /** The config exactly as every other route sees it. */
  strict: ConfigResult;
  /** The same with unset `${VAR}`s read as "", so the other checks still run when only a secret is missing. */
  lenient: ConfigResult;
  refs: VarReference[];
}

/** Parsed without validation, or {} where a source does not parse (the strict result reports that). */
function parsedOrEmpty(name: string, text: string | undefined): unknown {
  try {
    return text?.trim() ? parseConfigText(name, text) : {};
  } catch {
    return {};
  }
}

function rawConfig(env: Env): unknown {
  return deepMerge(normalizeConfigKeys(parsedOrEmpty(configFile.name, configFile.text)), normalizeConfigKeys(parsedOrEmpty("NANOBOT_CONFIG", env.NANOBOT_CONFIG)));
}

export function doctorConfig(env: Env): DoctorConfig {
  const strict = resolveConfig(configFile, env.NANOBOT_CONFIG, env);
  const refs = varReferences(rawConfig(env));
  if (strict.ok) return { strict, lenient: strict, refs };
  const { missing } = unsetVars(refs, env);
  const lenient = resolveConfig(configFile, env.NANOBOT_CONFIG, { ...env, ...Object.fromEntries(missing.map((r) => [r.name, ""])) });
  return { strict, lenient, refs };
}
