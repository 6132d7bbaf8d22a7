/**
 * Watches `.dev.vars` in the project folder. wrangler reads it only when `wrangler dev` starts, so a key
 * added by `npx nanobot onboard` (or by hand) stays invisible to a running gateway until wrangler restarts;
 * `npm start` restarts it when this fires. Debounced (editors write a file in several steps) and fired only
 * when the content really changed (created, edited or deleted).
 */
import { readFileSync, watch } from "node:fs";
import path from "node:path";

const read = (file: string): string | null => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
};

export function watchDevVars(root: string, onChange: () => void, debounceMs = 400): { close(): void } {
  const file = path.join(root, ".dev.vars");
  let last = read(file);
  let timer: NodeJS.Timeout | undefined;
  // The folder, not the file: the file may not exist yet, and editors replace it (a new inode) when saving.
  const watcher = watch(root, (_event, name) => {
    if (name !== ".dev.vars") return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = read(file);
      if (now === last) return;
      last = now;
      onChange();
    }, debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
