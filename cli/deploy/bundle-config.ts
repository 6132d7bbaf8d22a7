import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The specifier src/config/bundled-config.ts imports the config by (resolved relative to that file today). */
const CONFIG_SPECIFIER = "../../nanobot.config.json";
/** Where the production config is written for the bundler: under .wrangler/ (gitignored, wrangler's own state). */
const PRODUCTION_CONFIG_PATH = path.join(".wrangler", "deploy", "nanobot.config.production.json");

/**
 * Makes `wrangler deploy` bundle `text` instead of the local nanobot.config.json: writes it to a file and
 * returns the extra wrangler arguments. wrangler's `--alias` replaces an import whose specifier is exactly the
 * key (its esbuild plugin matches `args.path`), so the Worker's own `import … from "../../nanobot.config.json"`
 * resolves to the production file and nothing on disk is swapped.
 */
export function bundleProductionConfig(text: string, root: string): string[] {
  const file = path.join(root, PRODUCTION_CONFIG_PATH);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return ["--alias", `${CONFIG_SPECIFIER}:./${PRODUCTION_CONFIG_PATH.split(path.sep).join("/")}`];
}
