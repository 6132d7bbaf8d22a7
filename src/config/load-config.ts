import { bundledConfig } from "./bundled-config.ts";
import { type ConfigResult, loadConfigFrom } from "./resolve-config.ts";

export { type ConfigResult, loadConfigFrom } from "./resolve-config.ts";

const cache = new WeakMap<object, { key: string; result: ConfigResult }>();

/** The Worker's config, parsed once per isolate (and again only if NANOBOT_CONFIG changes). */
export function loadConfig(env: { NANOBOT_CONFIG?: string } & Record<string, unknown>): ConfigResult {
  const key = env.NANOBOT_CONFIG ?? "";
  const hit = cache.get(env);
  if (hit && hit.key === key) return hit.result;
  const result = loadConfigFrom(bundledConfig, env.NANOBOT_CONFIG, env);
  cache.set(env, { key, result });
  return result;
}
