/**
 * `npm run bench`: runs the benchmarks, prints a table, writes bench/results.json and docs/benchmarks.md.
 * `BENCH_ONLY=core,bundle` runs a subset; `BENCH_TURNS` / `BENCH_HISTORY` size the core runs.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../tests/support/run-cli.ts";
import { measureBundle } from "./bundle.ts";
import { runCoreBench } from "./core.ts";

interface Row {
  benchmark: string;
  value: string;
  target: string;
  ok: boolean | null;
}

const only = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const wanted = (name: string) => !only.size || only.has(name);
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  const rows: Row[] = [];

  if (wanted("bundle")) {
    const bundle = await measureBundle();
    results.bundle = bundle;
    rows.push({ benchmark: "bundle (minified, gzip)", value: `${(bundle.gzipBytes / 1024).toFixed(1)} KiB (raw ${(bundle.bytes / 1024).toFixed(0)} KiB)`, target: "≤ 1024 KiB", ok: bundle.gzipBytes <= 1024 * 1024 });
  }
  if (wanted("core")) {
    const core = await runCoreBench(log);
    results.core = core;
    rows.push(
      { benchmark: "framework overhead, plain turn (median)", value: `${core.plainTurnOverheadMs.toFixed(2)} ms`, target: "≤ 5 ms", ok: core.plainTurnOverheadMs <= 5 },
      { benchmark: "framework overhead, one tool call (median)", value: `${core.toolTurnOverheadMs.toFixed(2)} ms`, target: "≤ 10 ms", ok: core.toolTurnOverheadMs <= 10 },
      { benchmark: "CPU per turn (workerd, Worker + DO)", value: `${core.cpuPerTurnMs.toFixed(2)} ms`, target: "≤ 10 ms", ok: core.cpuPerTurnMs <= 10 },
      {
        benchmark: `overhead with ${core.historyOverheadMs.largeMessages} vs 10 messages`,
        value: `${core.historyOverheadMs.ratio.toFixed(2)}× (${core.historyOverheadMs.large.toFixed(2)} / ${core.historyOverheadMs.small.toFixed(2)} ms)`,
        target: "≤ 1.3×",
        ok: core.historyOverheadMs.ratio <= 1.3,
      },
      { benchmark: "prompt weight of \"hello\" (fresh session)", value: `${core.promptWeight.bytes} bytes ≈ ${core.promptWeight.estimatedTokens} tokens, ${core.promptWeight.tools} tools`, target: "≤ 8 KB", ok: core.promptWeight.bytes <= 8192 },
    );
  }

  const width = Math.max(...rows.map((r) => r.benchmark.length));
  const lines = rows.map((r) => `${r.ok === null ? " " : r.ok ? "✓" : "✗"} ${r.benchmark.padEnd(width)}  ${r.value}  (target ${r.target})`);
  process.stdout.write(`\n${lines.join("\n")}\n`);
  writeFileSync(path.join(repoRoot, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const table = ["| benchmark | result | target | met |", "|---|---|---|---|", ...rows.map((r) => `| ${r.benchmark} | ${r.value} | ${r.target} | ${r.ok === null ? "–" : r.ok ? "yes" : "no"} |`)];
  writeFileSync(
    path.join(repoRoot, "docs", "benchmarks.md"),
    `# Benchmarks\n\nLast run: ${results.date} (\`npm run bench\`, Node ${process.version}, this machine: 2 cores, shared; numbers are noisy, compare ratios).\n\n${table.join("\n")}\n\nRaw numbers: \`bench/results.json\`. Method: see the header comment of each file in \`bench/\`.\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
