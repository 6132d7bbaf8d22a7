import { bundledConfig } from "../config/bundled-config.ts";
import { deepMerge } from "../config/deep-merge.ts";
import { normalizeConfigKeys } from "../config/normalize-keys.ts";
import { type ConfigResult, loadConfigFrom } from "../config/resolve-config.ts";
import type { Env } from "../env.ts";
import { unsetVars, varReferences, type VarReference } from "./var-references.ts";

export interface DoctorConfig {
  /** The config exactly as every other route sees it. */
  strict: ConfigResult;
  /** The same with unset `${VAR}`s read as "", so the other checks still run when only a secret is missing. */
  lenient: ConfigResult;
  refs: VarReference[];
}

function rawConfig(env: Env): unknown {
  let override: unknown = {};
  try {
    override = env.NANOBOT_CONFIG?.trim() ? JSON.parse(env.NANOBOT_CONFIG) : {};
  } catch {
    // reported by the strict result
  }
  return deepMerge(normalizeConfigKeys(bundledConfig ?? {}), normalizeConfigKeys(override));
}

export function doctorConfig(env: Env): DoctorConfig {
  const strict = loadConfigFrom(bundledConfig, env.NANOBOT_CONFIG, env);
  const refs = varReferences(rawConfig(env));
  if (strict.ok) return { strict, lenient: strict, refs };
  const { missing } = unsetVars(refs, env);
  const lenient = loadConfigFrom(bundledConfig, env.NANOBOT_CONFIG, { ...env, ...Object.fromEntries(missing.map((r) => [r.name, ""])) });
  return { strict, lenient, refs };
}
