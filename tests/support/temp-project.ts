/**
 * A throwaway copy of this project, as a new user's clone would be: every file git knows (tracked, or new and
 * not ignored), none of the ignored ones (no nanobot.config.json, .dev.vars, .wrangler state), and the real
 * node_modules linked in so no install is needed. Tests that write the user's own files (onboard, .dev.vars,
 * a broken nanobot.config.json) or run `npm start` on them use one, never the developer's checkout.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./run-cli.ts";

export interface TempProject {
  dir: string;
  /** Absolute path of a file inside the copy. */
  file(relative: string): string;
  remove(): void;
}

function projectFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" });
  return out.split("\0").filter(Boolean);
}

export function createTempProject(prefix = "nanobot-project-"): TempProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const relative of projectFiles()) {
    const target = path.join(dir, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      copyFileSync(path.join(repoRoot, relative), target);
    } catch (err) {
      // A file deleted in the working tree but still in the index.
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return {
    dir,
    file: (relative) => path.join(dir, relative),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
