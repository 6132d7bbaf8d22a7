/** Linux process-tree helpers for tests that must prove no process is left behind (reads /proc). */
import { readdirSync, readFileSync } from "node:fs";

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces; the fields after it are fixed.
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return null;
  }
}

/** Every live descendant of `root` (children, grandchildren, …), whatever process group they moved to. */
export function descendants(root: number): number[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is ProcInfo => p !== null);
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const p of all) if (p.ppid === parent && !found.includes(p.pid)) (found.push(p.pid), queue.push(p.pid));
  }
  return found;
}

/** Alive = exists and is not a zombie (a zombie has exited; only its parent's bookkeeping remains). */
export function isAlive(pid: number): boolean {
  const info = readProc(pid);
  return info !== null && info.state !== "Z";
}
