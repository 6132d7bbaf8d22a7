/**
 * Regenerates nanobot.config.example.json from the zod schema's defaults plus a few illustrative values,
 * so the example always documents every key. `node scripts/write-example-config.ts`.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { exampleConfig } from "./lib/example-config.ts";
import { projectRoot } from "./lib/project-root.ts";

const file = path.join(projectRoot, "nanobot.config.example.json");
writeFileSync(file, `${JSON.stringify(exampleConfig(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
