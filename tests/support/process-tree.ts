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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Ctrl-C for a child that leads its own process group (a gateway started with `detached: true`), as a terminal
 * sends it, then SIGKILL for whatever survives: the leader, the pids recorded earlier, and its descendants.
 * Used in afterAll hooks, so a failing test never leaves wrangler/workerd behind.
 */
export async function stopProcessGroup(child: { pid?: number; exitCode: number | null; signalCode: NodeJS.Signals | null }, exited: Promise<unknown>, knownPids: number[] = []): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGINT");
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(15_000)]);
  }
  for (const pid of [child.pid, ...knownPids, ...descendants(child.pid)].filter(isAlive)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
