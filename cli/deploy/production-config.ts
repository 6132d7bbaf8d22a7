import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { deepMerge } from "../../src/config/deep-merge.ts";
import { normalizeConfigKeys } from "../../src/config/normalize-keys.ts";
import { CliError } from "../cli-error.ts";

export const CONFIG_FILE = "nanobot.config.json";
/** Optional, deep-merged over nanobot.config.json for production only (same keys; `null` removes a section). */
export const PRODUCTION_OVERLAY_FILE = "nanobot.config.production.json";

export interface ProductionConfig {
  /** The merged config as JSON text: what the deployed Worker bundles. */
  text: string;
  value: Record<string, unknown>;
  /** The files it was made from, for messages. */
  sources: string[];
}

function readJson(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new CliError(`${path.basename(file)} is not valid JSON (${(err as Error).message}). Fix it, then deploy again. Nothing was changed.`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new CliError(`${path.basename(file)} must hold a JSON object. Nothing was changed.`);
  return parsed as Record<string, unknown>;
}

/** Drops keys whose value is null, so an overlay can remove a whole section (`"providers": {"ollama": null}`). */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, dropNulls(v)]));
}

/** nanobot.config.json with nanobot.config.production.json deep-merged over it (either may be missing). */
export function readProductionConfig(root: string): ProductionConfig {
  const sources: string[] = [];
  let merged: unknown = {};
  for (const name of [CONFIG_FILE, PRODUCTION_OVERLAY_FILE]) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    sources.push(name);
    merged = deepMerge(merged, normalizeConfigKeys(readJson(file)));
  }
  const value = dropNulls(merged) as Record<string, unknown>;
  return { text: `${JSON.stringify(value, null, 2)}\n`, value, sources };
}

export interface ConfigFinding {
  /** Dotted config path, e.g. `providers.ollama.apiBase`. */
  key: string;
  value: string;
  why: string;
}

const LOOPBACK_HOST = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[?::1?\]?|.*\.local|.*\.internal|.*\.lan|host\.docker\.internal)$/i;
const PRIVATE_HOST = /^(10(\.\d{1,3}){3}|192\.168(\.\d{1,3}){2}|172\.(1[6-9]|2\d|3[01])(\.\d{1,3}){2}|169\.254(\.\d{1,3}){2}|\[?f[cd][0-9a-f]{2}:.*)$/i;
const PATH_KEY = /(path|dir|directory|file|command|cwd)$/i;

function hostOf(value: string): string | null {
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

/** Values that only work on the developer's machine: loopback/private endpoints and local file paths. */
export function localOnlyValues(value: unknown, at: string[] = []): ConfigFinding[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => localOnlyValues(v, [...at, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => localOnlyValues(v, [...at, k]));
  if (typeof value !== "string") return [];
  const key = at.join(".");
  const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? hostOf(value) : null;
  if (host !== null && LOOPBACK_HOST.test(host)) return [{ key, value, why: "a loopback address: in production it points at Cloudflare's own machine, not yours" }];
  if (host !== null && PRIVATE_HOST.test(host)) return [{ key, value, why: "a private-network address that Cloudflare cannot reach" }];
  if (/^file:/i.test(value) || (PATH_KEY.test(at[at.length - 1] ?? "") && /^(\/|\.{1,2}\/|~\/|[A-Za-z]:\\)/.test(value))) {
    return [{ key, value, why: "a path on this machine; the Worker has no such file" }];
  }
  return [];
}

/** Every `${VAR}` the config refers to, with the first config path naming it. */
export function referencedVars(value: unknown, at: string[] = [], out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => referencedVars(v, [...at, String(i)], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) referencedVars(v, [...at, k], out);
  else if (typeof value === "string") for (const m of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) if (!out.has(m[1])) out.set(m[1], at.join("."));
  return out;
}

const SECRET_KEY = /(apikey|token|secret|password|encodingaeskey)$/i;

/** Config keys holding a secret written out literally: it would be bundled into the Worker's code as is. */
export function literalSecrets(value: unknown, at: string[] = []): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => literalSecrets(v, [...at, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => literalSecrets(v, [...at, k]));
  const key = at[at.length - 1] ?? "";
  return typeof value === "string" && value !== "" && !value.includes("${") && SECRET_KEY.test(key) ? [at.join(".")] : [];
}

/** The message for local-only values: which keys, and the two ways out. */
export function localOnlyMessage(findings: ConfigFinding[]): string {
  const lines = findings.map((f) => `  ${f.key} = ${JSON.stringify(f.value)}: ${f.why}`);
  return [
    "The production config refers to things that only exist on this machine:",
    ...lines,
    `Fix: put production values in ${PRODUCTION_OVERLAY_FILE}, deep-merged over ${CONFIG_FILE} for deploys only ` +
      "(a key set to null is removed). To use Workers AI (the default when no provider is configured): " +
      '{"agents":{"defaults":{"provider":null,"model":null}},"providers":{"ollama":null}}; or a hosted provider: ' +
      '{"agents":{"defaults":{"provider":"openrouter","model":"anthropic/claude-sonnet-4.5"}},"providers":{"ollama":null,"openrouter":{"apiKey":"${OPENROUTER_API_KEY}"}}}. ' +
      "Nothing was changed.",
  ].join("\n");
}
