/**
 * Why "flat with history" depends on memory/history.jsonl: turns in a session whose window is full (each turn
 * consolidates, appending a summary to the workspace's history.jsonl) with the file as the session left it, then
 * with the file replaced by 1,000 entries of 8 KB (what 2,000 bench turns with the echoing stand-in model leave
 * behind before Dream compacts it). Production-shaped harness (bench/lib/production-worker.ts); CPU medians.
 *
 * `node bench/history-growth.ts` prints JSON.
 */
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { apiTurn, measureApiTurn, OutboundLog } from "./lib/production-scenarios.ts";
import { buildWorker, startRuntime } from "./lib/production-worker.ts";
import { summarize } from "./lib/stats.ts";
import { cpuMeter, type CpuMeter } from "./lib/workerd-cpu.ts";

const RUNS = Number(process.env.BENCH_HISTORY_RUNS ?? 8);

export async function runHistoryGrowthBench() {
  const llm = await startStandInLlm();
  const worker = await buildWorker({
    agents: { defaults: { provider: "custom", model: "bench-model", maxTokens: 512, timezone: "UTC", contextWindowTokens: 8192 } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${llm.url}/v1` } },
    api: { apiKey: "bench-key" },
  });
  let meter!: CpuMeter;
  const outbound = new OutboundLog(() => meter);
  const runtime = await startRuntime({ worker, onOutbound: (r) => { const mark = outbound.record(r.url); return () => (mark.doneAt = performance.now()); } });
  try {
    meter = cpuMeter(runtime.pids);
    await meter.calibrateIdle(300);
    const target = { url: runtime.nanobotUrl, apiKey: "bench-key", telegramSecret: "", llmUrl: llm.url, telegramUrl: "" };
    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    for (let i = 0; i < 12; i++) await apiTurn(target, "growth", `${filler} ${i}`);
    const measure = async (label: string) => {
      const cpu: number[] = [];
      for (let i = 0; i < RUNS; i++) cpu.push((await measureApiTurn(meter, outbound, target, "growth", `${filler} ${label} ${i}`)).cpuMs);
      return summarize(cpu);
    };
    const small = await measure("small");
    const bucket = await runtime.mf.getR2Bucket("WORKSPACE", "nanobot");
    const key = (await bucket.list()).objects.map((o) => o.key).find((k) => k.endsWith("memory/history.jsonl"));
    if (!key) throw new Error("no memory/history.jsonl after 12 full-window turns");
    const entry = (cursor: number) => JSON.stringify({ cursor, ts: "2026-12-07 02:00", session: "api:growth", summary: "x".repeat(7990) });
    await bucket.put(key, `${Array.from({ length: 1000 }, (_, i) => entry(i + 1)).join("\n")}\n`);
    const large = await measure("large");
    return { smallFileCpuMs: small, largeFileCpuMs: large, entries: 1000, entryBytes: 8000 };
  } finally {
    await runtime.dispose();
    worker.dispose();
    await llm.close();
  }
}

if (import.meta.main) {
  runHistoryGrowthBench()
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => (process.stderr.write(`${err?.stack ?? err}\n`), process.exit(1)));
}
