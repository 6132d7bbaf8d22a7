/**
 * Generated inputs the Worker build needs on a fresh clone: an empty nanobot.config.json (bundled, gitignored),
 * the plugin tool index and the WebUI assets (webui-dist/, served by [assets]). Runs before start, test and
 * deploy, and after install.
 */
import { buildWebui } from "./build-webui.ts";
import { generatePluginIndex } from "./gen-plugins.ts";
import { ensureConfigFile } from "./start-gateway.ts";

ensureConfigFile();
const { problems } = await generatePluginIndex();
if (problems.length) {
  for (const problem of problems) console.error(`✖ ${problem}`);
  process.exit(1);
}
await buildWebui();
