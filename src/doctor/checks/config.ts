import type { ConfigResult } from "../../config/resolve-config.ts";
import { finding, type Finding } from "../types.ts";

/**
 * Is the config valid as the Worker validates it? `sources` names what was read ("nanobot.config.json +
 * .dev.vars"); `restart` says how the running gateway picks a fixed config up.
 */
export function configCheck(result: ConfigResult, sources: string, restart: string): Finding {
  if (result.ok) return finding("config", "ok", `valid (${sources})`);
  const { path, problem } = result.error;
  if (/environment variable '.+' is not set/.test(problem)) {
    return finding("config", "fail", `${path}: ${problem}; the gateway answers every request with 500 until it is set`, `set the variable(s) listed under "secrets", then ${restart}`);
  }
  return finding("config", "fail", `${path}: ${problem}`, `fix ${path} in ${sources}, then ${restart}`);
}
