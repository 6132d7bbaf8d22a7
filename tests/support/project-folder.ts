import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A folder the CLI takes for the project (a package.json named nanobot-edge) holding `files`; its path is pushed
 * to `temps` so the test's afterEach can remove it. For CLI tests that need no real project (no npm start).
 */
export function makeProjectFolder(temps: string[], files: Record<string, string> = {}, prefix = "nanobot-cli-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "nanobot-edge", private: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}
