/**
 * `npm run bench`: runs the benchmarks, prints a table, writes bench/results.json and docs/benchmarks.md.
 * `BENCH_ONLY=core,bundle` runs a subset; `BENCH_TURNS` / `BENCH_HISTORY` size the core runs.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../tests/support/run-cli.ts";
import { measureBundle } from "./bundle.ts";
import { runChannelsBenchStandalone } from "./channels.ts";
import { runCoreBench } from "./core.ts";
import { runJsonScript } from "./lib/run-script.ts";
import { runWebuiBench } from "./webui.ts";

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
      {
        benchmark: "exec `echo hi` round trip (tool call → result)",
        value: `${core.execRoundTripMs.toFixed(2)} ms`,
        target: "≤ 30 ms",
        ok: core.execRoundTripMs <= 30,
      },
      { benchmark: "prompt weight of \"hello\" (fresh session)", value: `${core.promptWeight.bytes} bytes ≈ ${core.promptWeight.estimatedTokens} tokens, ${core.promptWeight.tools} tools`, target: "≤ 8 KB", ok: core.promptWeight.bytes <= 8192 },
    );
  }

  if (wanted("channels")) {
    const channels = await runChannelsBenchStandalone(log);
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
  if (wanted("web")) {
    const web = await runJsonScript(["bench/web-extraction.ts"], { BENCH_RUNS: process.env.BENCH_RUNS ?? "10" });
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
  if (wanted("memory")) {
    const memory = await runJsonScript(["--experimental-transform-types", "bench/memory.ts"]);
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

  if (wanted("webui")) {
    const webui = await runWebuiBench(log);
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
