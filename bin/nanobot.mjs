#!/usr/bin/env node
// `npx nanobot …`: the CLI is TypeScript, which Node ≥ 22.18 runs directly. On an older Node this re-runs itself on
// the project's pinned Node when npm installed one for this platform, else stops with one line saying what is needed.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suitableNode } from "../scripts/check-node.mjs";

const { node, self, problem } = suitableNode();
if (!node) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
if (self) {
  await import("../cli/main.ts");
} else {
  const result = spawnSync(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
