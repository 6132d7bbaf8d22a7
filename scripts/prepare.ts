/**
 * Generated inputs the Worker build needs on a fresh clone: an empty nanobot.config.json (gitignored) and the
 * module that carries its text into the Worker (scripts/lib/config-module.ts), the plugin tool index and the
 * WebUI assets (webui-dist/, served by [assets]). Runs before start, test and deploy, and after install.
 */
import { buildWebui } from "./build-webui.ts";
import { generatePluginIndex } from "./gen-plugins.ts";
import { writeProjectConfigModule } from "./lib/config-module.ts";
import { projectRoot } from "./lib/project-root.ts";
import { ensureConfigFile } from "./start-gateway.ts";

ensureConfigFile();
writeProjectConfigModule(projectRoot);
const { problems } = await generatePluginIndex();
if (problems.length) {
  for (const problem of problems) console.error(`✖ ${problem}`);
  process.exit(1);
}
await buildWebui();
