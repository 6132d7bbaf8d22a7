import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { normalizeConfigKeys } from "../../src/config/normalize-keys.ts";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { configCheck } from "../../src/doctor/checks/config.ts";
import { secretsCheck } from "../../src/doctor/checks/secrets.ts";
import { configSecrets } from "../../src/doctor/redact.ts";
import { finding, type Finding } from "../../src/doctor/types.ts";
import { varReferences } from "../../src/doctor/var-references.ts";
import { readDevVars } from "../project.ts";

/** Variables `npm start` passes to wrangler dev itself (scripts/start-gateway.ts, wrangler.toml [vars]). */
const GATEWAY_VARS = ["SANDBOX_RUNNER_URL", "SANDBOX_RUNNER_SECRET", "NANOBOT_DOH_URL"];

export interface LocalChecks {
  findings: Finding[];
  /** Values from the project's files that must never be printed. */
  secrets: string[];
}

/**
 * The project folder's own files, validated exactly as the local gateway will: nanobot.config.json through the
 * Worker's resolveConfig, with `${VAR}` taken from .dev.vars (wrangler dev does not pass the shell's env).
 */
export function localChecks(root: string): LocalChecks {
  const file = path.join(root, "nanobot.config.json");
  const devVars = readDevVars(root);
  const secrets = Object.values(devVars);
  if (!existsSync(file)) {
    return { findings: [finding("config", "warn", "no nanobot.config.json: the gateway runs with defaults and no provider", "run `npx nanobot onboard`")], secrets };
  }
  const text = readFileSync(file, "utf8");
  const env: Record<string, string> = { ...Object.fromEntries(GATEWAY_VARS.map((k) => [k, "set-by-npm-start"])), ...devVars };
  const result = resolveConfig({ name: "nanobot.config.json", text }, undefined, env);
  const findings = [configCheck(result, "nanobot.config.json + .dev.vars", "a running npm start picks the change up by itself")];
  let raw: unknown = null;
  try {
    raw = normalizeConfigKeys(JSON.parse(text));
  } catch {
    // the config finding already says where the JSON is broken
  }
  if (raw !== null) {
    secrets.push(...configSecrets(raw));
    findings.push(...secretsCheck(varReferences(raw), env, ".dev.vars", (name) => `add ${name}=… to .dev.vars (npx nanobot onboard writes it); a running npm start picks the change up by itself`));
  }
  return { findings, secrets };
}
