/**
 * The config file reaches the Worker as text in a small generated module, parsed at run time: a syntax error in
 * nanobot.config.json is then a config error the gateway reports (503 on /health), not a failed build that leaves
 * `wrangler dev` hanging. The Worker imports the module by a bare specifier that wrangler.toml `[alias]` (and the
 * test configs) resolve, so `wrangler deploy --alias nanobot-config:<path>` can bundle another text instead.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The bare specifier src/config/load-config.ts imports; wrangler's `--alias <specifier>:<path>` replaces it. */
export const CONFIG_MODULE_SPECIFIER = "nanobot-config";
export const CONFIG_FILE_NAME = "nanobot.config.json";
/** Where wrangler.toml's `[alias]` points (gitignored). */
export const CONFIG_MODULE_PATH = path.join("src", "config", "nanobot-config.generated.js");

export interface ConfigText {
  /** Used in messages (`nanobot.config.json: line 4, column 3: …`). */
  name: string;
  text: string;
}

let revisions = 0;

/**
 * The module's source. `revision` changes with every write (never derived from the text, which may hold secrets),
 * so `npm start` can tell when wrangler dev is serving the new text (the X-Nanobot-Config-Revision header).
 */
export function renderConfigModule(file: ConfigText, revision = `${Date.now()}-${++revisions}`): string {
  return [
    "// Generated from the config file by scripts/lib/config-module.ts; do not edit (it is rewritten on every start).",
    `export default ${JSON.stringify({ name: file.name, text: file.text, revision })};`,
    "",
  ].join("\n");
}

/**
 * Writes a config module holding `file.text` to `outPath` (atomically, so a watching bundler never reads half a
 * file). For deploys: `wrangler deploy --alias ${CONFIG_MODULE_SPECIFIER}:<outPath>` bundles it instead of the
 * project's own nanobot.config.json. Returns the specifier to alias.
 */
export function writeConfigModule(outPath: string, file: ConfigText, revision?: string): { specifier: string; path: string } {
  mkdirSync(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, renderConfigModule(file, revision));
  renameSync(tmp, outPath);
  return { specifier: CONFIG_MODULE_SPECIFIER, path: outPath };
}

/** The project's nanobot.config.json as text; a missing file counts as `{}` (npm start creates one anyway). */
export function readProjectConfig(root: string): ConfigText {
  const file = path.join(root, CONFIG_FILE_NAME);
  const text = existsSync(file) ? readFileSync(file, "utf8") : "{}\n";
  return { name: CONFIG_FILE_NAME, text };
}

/** (Re)writes the module wrangler.toml aliases from the project's nanobot.config.json; returns its revision. */
export function writeProjectConfigModule(root: string): string {
  const revision = `${Date.now()}-${++revisions}`;
  writeConfigModule(path.join(root, CONFIG_MODULE_PATH), readProjectConfig(root), revision);
  return revision;
}
