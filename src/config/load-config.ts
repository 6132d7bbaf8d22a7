import configFile from "nanobot-config";
import { type ConfigResult, resolveConfig } from "./resolve-config.ts";

export { type ConfigResult, loadConfigFrom, resolveConfig } from "./resolve-config.ts";

/** Revision of the bundled config text (changes with every rewrite under `npm start`; see config-middleware). */
export const configRevision: string = configFile.revision;

const cache = new WeakMap<object, { key: string; result: ConfigResult }>();

/** The Worker's config, parsed once per isolate (and again only if NANOBOT_CONFIG changes). */
export function loadConfig(env: { NANOBOT_CONFIG?: string } & Record<string, unknown>): ConfigResult {
  const key = env.NANOBOT_CONFIG ?? "";
  const hit = cache.get(env);
  if (hit && hit.key === key) return hit.result;
  const result = resolveConfig(configFile, env.NANOBOT_CONFIG, env);
  cache.set(env, { key, result });
  return result;
}
