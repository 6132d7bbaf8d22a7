/**
 * CPU time of a workerd process, read from Linux's scheduler accounting: the first field of
 * /proc/<pid>/task/<tid>/schedstat is the nanoseconds that thread spent on a CPU. Summed over all threads it is
 * the process's CPU time at nanosecond resolution (/proc/<pid>/stat's utime+stime tick at 10 ms, too coarse for
 * one invocation). It counts CPU actually used, so other processes loading the machine lengthen wall times but
 * barely change it (only through cache and frequency effects).
 *
 * workerd's own per-invocation accounting (`cpuTime`/`wallTime` on tail events) is 0 when workerd runs locally
 * (bench/production.ts records the tail events it got, to show it), hence this.
 */
import { readdirSync, readFileSync } from "node:fs";

export function processCpuNs(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return total;
}

/** The workerd processes started by this Node process (Miniflare spawns workerd as a child). */
export function workerdChildren(parent = process.pid): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("workerd")) pids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CpuMeter {
  /** CPU nanoseconds used so far by the watched processes. */
  now(): number;
  /** Idle CPU rate (ns of CPU per ms of wall time) measured by `calibrateIdle`. */
  idleNsPerMs: number;
  /** Measures the idle rate over `ms` of quiet (no requests). */
  calibrateIdle(ms?: number): Promise<number>;
  /**
   * Waits until the processes stop using CPU (no more than the idle rate for `quietMs`), i.e. every
   * invocation the last request started (alarms, waitUntil work) has finished.
   */
  settle(quietMs?: number, maxMs?: number): Promise<void>;
  /** CPU used by `run` and everything it set off, minus the idle rate over the same wall time. */
  measure<T>(run: () => Promise<T>): Promise<{ cpuNs: number; wallMs: number; value: T }>;
}

export function cpuMeter(pids: () => number[]): CpuMeter {
  const now = () => pids().reduce((sum, pid) => sum + processCpuNs(pid), 0);
  const meter: CpuMeter = {
    now,
    idleNsPerMs: 0,
    async calibrateIdle(ms = 1000) {
      await meter.settle();
      const c0 = now();
      const t0 = performance.now();
      await sleep(ms);
      meter.idleNsPerMs = (now() - c0) / (performance.now() - t0);
      return meter.idleNsPerMs;
    },
    async settle(quietMs = 40, maxMs = 5000) {
      const deadline = performance.now() + maxMs;
      let last = now();
      let lastAt = performance.now();
      let quietSince = lastAt;
      while (performance.now() < deadline) {
        await sleep(10);
        const c = now();
        const t = performance.now();
        // 0.2 ms of CPU over a 10 ms poll is above any idle timer work but below one invocation.
        if (c - last > Math.max(200_000, meter.idleNsPerMs * (t - lastAt) * 3)) quietSince = t;
        else if (t - quietSince >= quietMs) return;
        last = c;
        lastAt = t;
      }
    },
    async measure(run) {
      await meter.settle();
      const c0 = now();
      const t0 = performance.now();
      const value = await run();
      const wallMs = performance.now() - t0;
      await meter.settle();
      const window = performance.now() - t0;
      return { cpuNs: now() - c0 - meter.idleNsPerMs * window, wallMs, value };
    },
  };
  return meter;
}
