import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";

export interface ScannedFile {
  size: number;
  /** Nanosecond mtime as a string: millisecond precision misses a rewrite in the same millisecond. */
  mtimeNs: string;
}

/** Regular files under `root` by workspace-relative path; symlinks and special files are not synced. */
export function scanFiles(root: string, maxFiles = 50_000): Map<string, ScannedFile> {
  const files = new Map<string, ScannedFile>();
  const walk = (dir: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (files.size >= maxFiles) return;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile()) {
        const st = lstatSync(full, { bigint: true });
        files.set(rel, { size: Number(st.size), mtimeNs: st.mtimeNs.toString() });
      }
    }
  };
  walk(root, "");
  return files;
}
