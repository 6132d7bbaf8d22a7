// The production-shaped bench harness (bench/production.ts) runs: workerd through Miniflare's API with the echo
// floor, and the CPU meter reads workerd's scheduler accounting. No timing assertions (issue 19): only that the
// pieces work and agree with wrangler.toml.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { measureEcho, measureEchoAlarm } from "../../bench/lib/production-scenarios.ts";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS, startRuntime } from "../../bench/lib/production-worker.ts";
import { productionRows } from "../../bench/lib/production-rows.ts";
import { summarize } from "../../bench/lib/stats.ts";
import { cpuMeter } from "../../bench/lib/workerd-cpu.ts";
import { repoRoot } from "../support/run-cli.ts";

describe("production-shaped bench harness", () => {
  it("should run Workers with wrangler.toml's compatibility date and flags", () => {
    const toml = readFileSync(path.join(repoRoot, "wrangler.toml"), "utf8");
    expect(toml).toContain(`compatibility_date = "${COMPATIBILITY_DATE}"`);
    expect(toml).toContain(`compatibility_flags = ${JSON.stringify(COMPATIBILITY_FLAGS).replace(/,/g, ", ")}`);
  });

  it("should measure the echo floor's CPU in workerd, a request at a time", async () => {
    const runtime = await startRuntime({});
    try {
      const meter = cpuMeter(runtime.pids);
      expect(runtime.pids().length).toBeGreaterThan(0);
      await meter.calibrateIdle(200);
      const echo = await measureEcho(meter, runtime.echoUrl, 1);
      const alarm = await measureEchoAlarm(meter, runtime.echoUrl);
      // A request costs some CPU and the alarm one is counted up to the alarm's end (never a negative or empty reading).
      expect(echo.cpuMs).toBeGreaterThan(0);
      expect(alarm.cpuMs).toBeGreaterThan(0);
      const res = await fetch(`${runtime.echoUrl}/?id=smoke`, { method: "POST", body: "ping" });
      expect(await res.text()).toBe("ping");
    } finally {
      await runtime.dispose();
    }
  }, 60_000);

  it("should judge CPU targets on the figure above the floor measured in the same run", () => {
    const s = (median: number) => summarize([median, median, median]);
    const stat = (median: number, overhead = median) => ({ cpu: s(median), wall: s(median), overhead: s(overhead) });
    const result = {
      floor: { echo: stat(2), echoAlarm: stat(3), echoRelay: stat(3.5, 1) },
      turns: { apiPlain: stat(9, 6), tool: stat(14), exec: stat(20), history200: stat(11.5) },
      telegram: { ack: stat(4.5), turn: stat(7), delivery: stat(1.5), total: stat(14) },
      flat: { turns: 2000, contextWindowTokens: 8192, cpuRatio: 1.1, overheadRatio: 1.3, echo: stat(2), early: stat(10), late: stat(11) },
      cold: { extraCpu: s(300), extraWall: s(900), scriptStartupCpu: s(200), firstTurnExtraCpu: s(100) },
      bundle: { bytes: 2_000_000, gzipBytes: 600 * 1024 },
      tailEvents: [{ cpuTime: 0, wallTime: 0 }],
    };
    const rows = Object.fromEntries(productionRows(result).map((r) => [r.key, r]));
    expect(rows.turn200.judged).toBeCloseTo(9.5);
    expect(rows.turn200.ok).toBe(true);
    expect(rows.ack.judged).toBeCloseTo(2.5);
    expect(rows.ack.ok).toBe(false);
    // A turn with one tool makes two model calls: its floor has two subrequests.
    expect(rows.overheadTool.judged).toBeCloseTo(14 - 5);
    expect(rows.flatCpu.ok).toBe(true);
    // (11 − 2) / (10 − 2): overhead above the echo grows 1.125×, within 1.2× although the wall ratio says 1.3×.
    expect(rows.flatOverhead.judged).toBeCloseTo(9 / 8);
    expect(rows.flatOverhead.ok).toBe(true);
    expect(rows.bundle.ok).toBe(false);
  });
});
