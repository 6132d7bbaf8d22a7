import { randomBytes } from "node:crypto";
import { chownSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, unlinkSync, writeFileSync, type BigIntStats, type Stats } from "node:fs";
import path from "node:path";

/**
 * File operations on a working copy that sandboxed commands can rewrite, done by a runner that may be root:
 * never follow a symlink a command planted (`ln -s /etc x` then a sync writing `x/passwd` must not touch /etc).
 */

const SEGMENT_LIMIT = 255;

/** Validates a workspace-relative path (`a/b.txt`); returns its segments or null. */
export function pathSegments(rel: string): string[] | null {
  if (typeof rel !== "string" || rel.length === 0 || rel.length > 1024 || rel.includes("\0") || rel.includes("\\")) return null;
  const parts = rel.split("/");
  for (const part of parts) {
    if (part === "" || part === "." || part === ".." || Buffer.byteLength(part) > SEGMENT_LIMIT) return null;
  }
  return parts;
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** Creates the parent directories of `segments` under `root`, replacing files or symlinks that stand in the way. */
function ensureParents(root: string, segments: string[], uid?: number): string {
  let dir = root;
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment);
    const st = lstatOrNull(dir);
    if (st?.isDirectory()) continue;
    if (st) rmSync(dir, { force: true });
    mkdirSync(dir, { mode: 0o755 });
    if (uid !== undefined) chownSync(dir, uid, uid);
  }
  return dir;
}

/** Writes a file atomically (temp file + rename, which replaces a symlink rather than writing through it). */
export function writeFileSafe(root: string, segments: string[], data: Uint8Array, uid?: number): BigIntStats {
  const dir = ensureParents(root, segments, uid);
  const target = path.join(dir, segments[segments.length - 1]);
  if (lstatOrNull(target)?.isDirectory()) rmSync(target, { recursive: true, force: true });
  const temp = path.join(dir, `.nanobot-sync-${randomBytes(6).toString("hex")}`);
  writeFileSync(temp, data, { flag: "wx", mode: 0o644 });
  if (uid !== undefined) chownSync(temp, uid, uid);
  renameSync(temp, target);
  return lstatSync(target, { bigint: true });
}

/** True when every parent of the path is a real directory (no symlink on the way). */
function parentsAreDirectories(root: string, segments: string[]): boolean {
  let dir = root;
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment);
    if (!lstatOrNull(dir)?.isDirectory()) return false;
  }
  return true;
}

/** Deletes a file (or a symlink standing at its name); directories and paths through symlinks are left alone. */
export function deleteFileSafe(root: string, segments: string[]): void {
  if (!parentsAreDirectories(root, segments)) return;
  const target = path.join(root, ...segments);
  const st = lstatOrNull(target);
  if (st && !st.isDirectory()) unlinkSync(target);
}

/** Reads a regular file without following a symlink at its name or on its way; null when it is not one. */
export function readFileSafe(root: string, segments: string[], maxBytes: number): Buffer | null {
  if (!parentsAreDirectories(root, segments)) return null;
  let fd: number;
  try {
    fd = openSync(path.join(root, ...segments), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buffer = Buffer.allocUnsafe(st.size);
    let offset = 0;
    while (offset < st.size) {
      const n = readSync(fd, buffer, offset, st.size - offset, offset);
      if (n === 0) break;
      offset += n;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}
