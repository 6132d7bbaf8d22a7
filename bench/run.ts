/**
 * `npm run bench`: runs the benchmarks, prints the tables, writes bench/results.json and docs/benchmarks.md.
 * `BENCH_ONLY=production,core,bundle` runs a subset; `BENCH_TURNS` / `BENCH_HISTORY` size the core runs
 * (`npm start`), `BENCH_PROD_N` / `BENCH_FLAT_TURNS` / `BENCH_COLD_RUNS` the production-shaped one
 * (bench/production.ts); an unknown name (`BENCH_ONLY=none`) only re-renders the doc from bench/results.json.
 * bench/results-before.json holds the production-shaped result before the fixes of
 * issue 19, shown as the "before" column.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../tests/support/run-cli.ts";
import { measureBundle } from "./bundle.ts";
import { runChannelsBenchStandalone } from "./channels.ts";
import { runCoreBench } from "./core.ts";
import { runJsonScript } from "./lib/run-script.ts";
import { renderBenchmarksDoc } from "./lib/benchmarks-doc.ts";
import { productionRows, type ProductionRow } from "./lib/production-rows.ts";
import { runWebuiBench } from "./webui.ts";

export interface Row {
  benchmark: string;
  value: string;
  target: string;
  ok: boolean | null;
}

const only = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const wanted = (name: string) => !only.size || only.has(name);
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const resultsFile = path.join(repoRoot, "bench", "results.json");
  // A subset run (BENCH_ONLY) keeps the other benches' last results, marked with the date they were measured.
  const previous: Record<string, any> = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : {};
  const results: Record<string, any> = { date: new Date().toISOString(), node: process.version, measured: { ...previous.measured } };
  for (const name of ["bundle", "core", "channels", "web", "memory", "webui", "production", "lazy", "history"]) if (wanted(name)) results.measured[name] = results.date;
  const rows: Row[] = [];

  // Its own process: workerd, the stand-ins and the CPU meter do not share an event loop with the other benches.
  results.production = wanted("production") ? await runJsonScript(["bench/production.ts"]) : previous.production;

  const bundle = wanted("bundle") ? await measureBundle() : previous.bundle;
  if (bundle) {
    results.bundle = bundle;
    rows.push({ benchmark: "bundle (minified, gzip)", value: `${(bundle.gzipBytes / 1024).toFixed(1)} KiB (raw ${(bundle.bytes / 1024).toFixed(0)} KiB)`, target: "≤ 1024 KiB", ok: bundle.gzipBytes <= 1024 * 1024 });
  }
  const core = wanted("core") ? await runCoreBench(log) : previous.core;
  if (core) {
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
      {
        benchmark: "exec `echo hi` round trip (tool call → result)",
        value: `${core.execRoundTripMs.toFixed(2)} ms`,
        target: "≤ 30 ms",
        ok: core.execRoundTripMs <= 30,
      },
      { benchmark: "prompt weight of \"hello\" (fresh session)", value: `${core.promptWeight.bytes} bytes ≈ ${core.promptWeight.estimatedTokens} tokens, ${core.promptWeight.tools} tools`, target: "≤ 8 KB", ok: core.promptWeight.bytes <= 8192 },
    );
  }

  const channels = wanted("channels") ? await runChannelsBenchStandalone(log) : previous.channels;
  if (channels) {
    results.channels = channels;
    rows.push(
      { benchmark: "Telegram webhook ack (median, known chat)", value: `${channels.ack.knownChatMedianMs.toFixed(2)} ms (with a 2 s model: ${channels.ack.slowModelMedianMs.toFixed(2)} ms)`, target: "≤ 20 ms", ok: channels.ack.knownChatMedianMs <= 20 },
      {
        benchmark: `${channels.burst.updates} concurrent Telegram updates across ${channels.burst.chats} chats`,
        value: `${channels.burst.lost} lost, ${channels.burst.duplicated} duplicated, ${channels.burst.updatesPerSecond.toFixed(1)} updates/s acked, ${channels.burst.repliesPerSecond.toFixed(1)} replies/s`,
        target: "0 lost, 0 duplicated",
        ok: channels.burst.lost === 0 && channels.burst.duplicated === 0,
      },
    );
  }
  const web = wanted("web") ? await runJsonScript(["bench/web-extraction.ts"], { BENCH_RUNS: process.env.BENCH_RUNS ?? "10" }) : previous.webExtraction;
  if (web) {
    results.webExtraction = web;
    for (const page of web.pages) {
      const [chosen, runnerUp] = page.results;
      rows.push({
        benchmark: `web_fetch extraction, ${page.page} (${Math.round(page.pageBytes / 1024)} KB)`,
        value: `${chosen.medianMs} ms chosen vs ${runnerUp.medianMs} ms runner-up (${(chosen.medianMs / runnerUp.medianMs).toFixed(1)}×)`,
        target: "report",
        ok: null,
      });
    }
  }
  const memory = wanted("memory") ? await runJsonScript(["--experimental-transform-types", "bench/memory.ts"]) : previous.memory;
  if (memory) {
    results.memory = memory;
    rows.push(
      {
        benchmark: "context build, 10k history.jsonl + 50 KB MEMORY.md vs empty",
        value: `${memory.contextBuild.ratio}× (${memory.contextBuild.bigMedianMs} / ${memory.contextBuild.emptyMedianMs} ms)`,
        target: "≤ 1.3×",
        ok: memory.contextBuild.ratio <= 1.3,
      },
      {
        benchmark: `Dream CPU per workspace (${memory.dream.workspaces} workspaces, one tick)`,
        value: `p50 ${memory.dream.cpuMsPerWorkspace.p50} ms, max ${memory.dream.cpuMsPerWorkspace.max} ms`,
        target: "each within one DO alarm's CPU limit",
        ok: memory.dream.cpuMsPerWorkspace.max < 30_000,
      },
    );
  }

  const webui = wanted("webui") ? await runWebuiBench(log) : previous.webui;
  if (webui) {
    results.webui = webui;
    rows.push(
      { benchmark: "WebUI first load (HTML + JS + CSS, gzip)", value: `${(webui.page.gzipBytes / 1024).toFixed(1)} KiB`, target: "≤ 150 KB", ok: webui.page.gzipBytes <= 150_000 },
      { benchmark: "WebUI send → first delta, instant model (median)", value: `${webui.firstDelta.medianMs} ms (p95 ${webui.firstDelta.p95Ms} ms)`, target: "≤ 30 ms", ok: webui.firstDelta.medianMs <= 30 },
      {
        benchmark: `WebUI idle socket, ${webui.idle.seconds} s with pings`,
        value: `${webui.idle.messageHandlerRuns} handler runs, ${webui.idle.constructorRuns} constructor runs, ${webui.idle.pongs}/${webui.idle.pings} pongs`,
        target: "0 wake-ups",
        ok: webui.idle.messageHandlerRuns === 0 && webui.idle.constructorRuns <= 1 && webui.idle.answeredAfterIdle,
      },
    );
  }

  const lazy = wanted("lazy") ? await runJsonScript(["bench/lazy-import.ts"]) : previous.lazy;
  if (lazy) {
    results.lazy = lazy;
    const ms = (s: { median: number }) => `${s.median.toFixed(1)} ms`;
    rows.push({
      benchmark: `workerd startup CPU: web_fetch/MCP/Anthropic libraries static vs \`await import()\` (${lazy.static.bundleKiB} KiB)`,
      value: `none ${ms(lazy.none.startupCpuMs)}, static ${ms(lazy.static.startupCpuMs)}, lazy ${ms(lazy.dynamic.startupCpuMs)}; first use of the lazy ones ${ms(lazy.dynamic.firstUseCpuMs)}`,
      target: "report",
      ok: null,
    });
  }

  const history = wanted("history") ? await runJsonScript(["bench/history-growth.ts"]) : previous.history;
  if (history) {
    results.history = history;
    const ratio = history.largeFileCpuMs.median / history.smallFileCpuMs.median;
    rows.push({
      benchmark: "full-window turn, history.jsonl of 1,000 × 8 KB entries vs a small one (production-shaped, CPU)",
      value: `${history.largeFileCpuMs.median.toFixed(1)} vs ${history.smallFileCpuMs.median.toFixed(1)} ms (${ratio.toFixed(1)}×)`,
      target: "report",
      ok: null,
    });
  }

  const beforeFile = path.join(repoRoot, "bench", "results-before.json");
  const before: ProductionRow[] = existsSync(beforeFile) ? productionRows(JSON.parse(readFileSync(beforeFile, "utf8"))) : [];
  const production = results.production ? productionRows(results.production) : [];
  const npmStart = npmStartFigures(results);
  if (production.length) {
    const width = Math.max(...production.map((r) => r.benchmark.length));
    const lines = production.map((r) => {
      const was = before.find((b) => b.key === r.key);
      const side = [was ? `before: ${was.value}` : "", npmStart[r.key] ? `npm start: ${npmStart[r.key]}` : ""].filter(Boolean).join("; ");
      return `${r.ok === null ? " " : r.ok ? "✓" : "✗"} ${r.benchmark.padEnd(width)}  ${r.value}  (target ${r.target})${side ? `\n    ${side}` : ""}`;
    });
    process.stdout.write(`\nProduction-shaped (Miniflare API, deploy bundle):\n${lines.join("\n")}\n`);
  }
  if (rows.length) {
    const width = Math.max(...rows.map((r) => r.benchmark.length));
    const lines = rows.map((r) => `${r.ok === null ? " " : r.ok ? "✓" : "✗"} ${r.benchmark.padEnd(width)}  ${r.value}  (target ${r.target})`);
    process.stdout.write(`\n${lines.join("\n")}\n`);
  }
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(repoRoot, "docs", "benchmarks.md"), renderBenchmarksDoc({ date: results.date, node: process.version, measured: results.measured, production, before, npmStart, rows }));
}

/** The `npm start` (wrangler dev) figures of this run that correspond to a production-shaped row. */
function npmStartFigures(results: Record<string, any>): Record<string, string> {
  const out: Record<string, string> = {};
  if (results.core) {
    out.turnPlain = `${results.core.cpuPerTurnMs.toFixed(2)} ms CPU (all workerd processes)`;
    out.overheadWall = `${results.core.plainTurnOverheadMs.toFixed(2)} ms overhead`;
    out.overheadTool = `${results.core.toolTurnOverheadMs.toFixed(2)} ms overhead (wall)`;
  }
  if (results.channels) out.ack = `${results.channels.ack.knownChatMedianMs.toFixed(2)} ms wall`;
  if (results.bundle) out.bundle = `${(results.bundle.gzipBytes / 1024).toFixed(1)} KiB (--env production)`;
  return out;
}

main().catch((err) => {
  process.stderr.write(`[bench] failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
