/** Thrown when a workspace already has its maximum of running and queued commands. */
export class BusyError extends Error {}

/**
 * Per-workspace concurrency: at most `maxRunning` jobs run at once (sync + command + diff is one job, so the
 * working copy and its manifest never see two writers), and at most `maxQueued` wait behind them.
 */
export function createWorkspaceLimiter(maxRunning: number, maxQueued: number) {
  const state = new Map<string, { running: number; waiting: Array<() => void> }>();
  let total = 0;

  async function run<T>(key: string, job: () => Promise<T>): Promise<T> {
    let entry = state.get(key);
    if (!entry) state.set(key, (entry = { running: 0, waiting: [] }));
    if (entry.running >= maxRunning) {
      if (entry.waiting.length >= maxQueued) throw new BusyError(`Workspace is busy: ${entry.running} command(s) running and ${entry.waiting.length} queued.`);
      await new Promise<void>((resolve) => entry.waiting.push(resolve));
    }
    entry.running++;
    total++;
    try {
      return await job();
    } finally {
      entry.running--;
      total--;
      const next = entry.waiting.shift();
      if (next) next();
      else if (entry.running === 0) state.delete(key);
    }
  }

  return { run, running: () => total };
}
