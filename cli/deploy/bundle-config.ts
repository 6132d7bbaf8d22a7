import path from "node:path";
import { writeConfigModule } from "../../scripts/lib/config-module.ts";

/** Where the production config module is written for the bundler: under .wrangler/ (gitignored, wrangler's own state). */
const PRODUCTION_MODULE_PATH = path.join(".wrangler", "deploy", "nanobot-config.production.js");

/**
 * Makes `wrangler deploy` bundle `text` instead of the local nanobot.config.json: writes it as a config module
 * and returns the extra wrangler arguments. `--alias nanobot-config:<file>` replaces the module wrangler.toml's
 * `[alias]` points at, so nothing the developer's `npm start` uses is touched.
 */
export function bundleProductionConfig(text: string, root: string): string[] {
  // An absolute path: wrangler splits the alias at its first ":" only, so Windows drive letters survive.
  const module = writeConfigModule(path.resolve(root, PRODUCTION_MODULE_PATH), { name: "the production config", text });
  return ["--alias", `${module.specifier}:${module.path}`];
}
