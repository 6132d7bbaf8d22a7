import type { ChildProcess } from "node:child_process";

/**
 * A child started with `detached: true` leads its own process group, so one signal to `-pid` reaches it and
 * everything it started (wrangler → workerd, the runner → sandboxed commands). The terminal's Ctrl-C only
 * reaches our own group; we forward it, which keeps the order of shutdown in our hands.
 */
export interface ManagedChild {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (128 + signal number when killed by a signal). */
  exited: Promise<number>;
  isRunning(): boolean;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function manage(name: string, child: ChildProcess): ManagedChild {
  let running = true;
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      running = false;
      resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 1) : 0));
    });
    child.once("error", () => {
      running = false;
      resolve(127);
    });
  });
  return { name, child, exited, isRunning: () => running };
}

/** Sends `signal` to the child's whole process group; ignores groups that are already gone. */
export function signalGroup(managed: ManagedChild, signal: NodeJS.Signals): void {
  const pid = managed.child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

/**
 * Asks the group leader to stop with `signal`, then SIGKILLs the group after `graceMs`. The final SIGKILL is sent even
 * when the leader exited in time, because a leader can exit before its own children (workerd) do.
 */
export async function stopGroup(managed: ManagedChild, signal: NodeJS.Signals, graceMs = 5000): Promise<number> {
  // The leader alone first, so it can stop (and reap) its own children in order; signalling the whole group at
  // once lets workerd die under a still-running wrangler, which then leaves orphans behind.
  try {
    managed.child.kill(signal);
  } catch {
    // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), graceMs)));
  const result = await Promise.race([managed.exited, timeout]);
  clearTimeout(timer);
  signalGroup(managed, "SIGKILL");
  return result === "timeout" ? await managed.exited : result;
}
