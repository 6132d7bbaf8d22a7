/**
 * Production-shaped benchmark (issue 19): the `wrangler deploy` bundle in workerd through Miniflare's API (no
 * wrangler proxy), with the Durable Objects on SQLite, D1 (migrations applied), R2, the stand-in model (instant),
 * the stand-in Bot API and the sandbox runner. Per invocation type it reports the CPU time of the workerd process
 * (scheduler accounting, minus its idle rate) and wall time, as medians with the interquartile range, and every
 * figure also as a multiple of / difference to a trivial Worker → Durable Object echo measured in the same run
 * and process. Tail events are collected once to record what workerd's own accounting says locally.
 *
 * `node bench/production.ts` prints JSON; `BENCH_PROD_N` (repetitions, default 30), `BENCH_FLAT_TURNS` (the
 * long session's length, default 2000) and `BENCH_COLD_RUNS` (default 3) size it.
 */
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { startStandInRunner } from "../tests/support/stand-in-runner.ts";
import { startStandInTelegram } from "../tests/support/stand-in-telegram.ts";
import { buildWorker, startRuntime, type BuiltWorker, type ProductionRuntime } from "./lib/production-worker.ts";
import { apiTurn, measureAcksWhileBusy, measureApiTurn, measureEcho, measureEchoAlarm, measureEchoRelay, measureTelegramMessage, OutboundLog, script, type Sample, type Target, telegramUpdate } from "./lib/production-scenarios.ts";
import { summarize, type Summary } from "./lib/stats.ts";
import { cpuMeter, processCpuNs, type CpuMeter } from "./lib/workerd-cpu.ts";

const N = Number(process.env.BENCH_PROD_N ?? 30);
const FLAT_TURNS = Number(process.env.BENCH_FLAT_TURNS ?? 2000);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const API_KEY = "bench-key";
const SECRET = "bench-webhook-secret";

type Stat = { cpu: Summary; wall: Summary; overhead?: Summary };
const stat = (samples: Array<Partial<Sample> & { cpuMs: number }>): Stat => ({
  cpu: summarize(samples.map((s) => s.cpuMs)),
  wall: summarize(samples.filter((s) => s.wallMs !== undefined).map((s) => s.wallMs!)),
  ...(samples.some((s) => s.overheadMs !== undefined) ? { overhead: summarize(samples.filter((s) => s.overheadMs !== undefined).map((s) => s.overheadMs!)) } : {}),
});

async function repeat<T>(n: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await run(i));
  return out;
}

function benchConfig(urls: { llm: string; telegram: string; runner: { url: string; secret: string } }, contextWindowTokens?: number) {
  return {
    agents: { defaults: { provider: "custom", model: "bench-model", maxTokens: 512, timezone: "UTC", ...(contextWindowTokens ? { contextWindowTokens } : {}) } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${urls.llm}/v1` } },
    api: { apiKey: API_KEY },
    channels: {
      telegram: { enabled: true, token: "123456:BENCH", webhookSecretToken: SECRET, allowFrom: ["*"], apiRoot: urls.telegram, streaming: false, mode: "webhook" },
      rateLimit: { messages: 100_000, periodS: 60 },
    },
    tools: { exec: { enable: true, timeout: 30, runnerUrl: urls.runner.url, runnerSecret: urls.runner.secret } },
  };
}

interface Harness {
  runtime: ProductionRuntime;
  meter: CpuMeter;
  outbound: OutboundLog;
  target: Target;
}

async function startHarness(worker: BuiltWorker, urls: { llm: string; telegram: string }, tails = false): Promise<Harness> {
  let meter!: CpuMeter;
  const outbound = new OutboundLog(() => meter);
  const runtime = await startRuntime({
    worker,
    tails,
    onOutbound: (request) => {
      const mark = outbound.record(request.url);
      return () => (mark.doneAt = performance.now());
    },
  });
  meter = cpuMeter(runtime.pids);
  const target = { url: runtime.nanobotUrl, apiKey: API_KEY, telegramSecret: SECRET, llmUrl: urls.llm, telegramUrl: urls.telegram };
  return { runtime, meter, outbound, target };
}

export async function runProductionBench(log: (line: string) => void) {
  const llm = await startStandInLlm();
  const telegram = await startStandInTelegram();
  const runner = await startStandInRunner();
  const urls = { llm: llm.url, telegram: telegram.url, runner };
  const main = await buildWorker(benchConfig(urls));
  const gzipBytes = main.modules.reduce((sum, m) => sum + gzipSync(readFileSync(m.path), { level: 9 }).length, 0);
  log(`bundle: ${(main.bytes / 1024).toFixed(0)} KiB, gzip ${(gzipBytes / 1024).toFixed(1)} KiB`);
  const result: Record<string, any> = { method: "workerd process CPU (schedstat, all threads) minus idle rate; medians with IQR", n: N, bundle: { bytes: main.bytes, gzipBytes } };
  const tag = Date.now().toString(36);
  let h = await startHarness(main, urls);
  try {
    const { meter, outbound, target } = h;
    log(`idle rate ${(await meter.calibrateIdle()).toFixed(0)} ns CPU per ms`);
    result.idleNsPerMs = meter.idleNsPerMs;
    for (let i = 0; i < 10; i++) await measureEcho(meter, h.runtime.echoUrl, i);
    const echo = stat(await repeat(N, (i) => measureEcho(meter, h.runtime.echoUrl, i)));
    const echoAlarm = stat(await repeat(N, () => measureEchoAlarm(meter, h.runtime.echoUrl)));
    const echoRelay = stat(await repeat(N, (i) => measureEchoRelay(meter, outbound, h.runtime.echoUrl, llm.url, i)));
    log(`echo floor: ${echo.cpu.median.toFixed(2)} ms CPU, ${echo.wall.median.toFixed(2)} ms wall; with an alarm ${echoAlarm.cpu.median.toFixed(2)} ms; with a model call ${echoRelay.cpu.median.toFixed(2)} ms`);

    for (let i = 0; i < 5; i++) await apiTurn(target, `plain-${tag}`, `warm ${i}`);
    const apiPlain = stat(await repeat(N, (i) => measureApiTurn(meter, outbound, target, `plain-${tag}`, `turn ${i}`)));
    log(`API turn: ${apiPlain.cpu.median.toFixed(2)} ms CPU, overhead ${apiPlain.overhead!.median.toFixed(2)} ms`);

    const toolRuns = Math.max(10, Math.round(N / 2));
    const tool = stat(
      await repeat(toolRuns, async (i) => {
        const token = `tool-${tag}-${i}`;
        await script(llm.url, token, [{ toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }, { content: "done" }]);
        return measureApiTurn(meter, outbound, target, `tool-${tag}`, `list ${token}`);
      }),
    );
    const exec = stat(
      await repeat(toolRuns, async (i) => {
        const token = `exec-${tag}-${i}`;
        await script(llm.url, token, [{ toolCalls: [{ name: "exec", arguments: { command: "echo hi" } }] }, { content: "done" }]);
        return measureApiTurn(meter, outbound, target, `exec-${tag}`, `run ${token}`);
      }),
    );
    log(`tool turn (list_dir) ${tool.cpu.median.toFixed(2)} ms CPU; exec turn ${exec.cpu.median.toFixed(2)} ms CPU`);

    const chat = 8_000_000_000 + Math.floor(Math.random() * 1e6);
    for (let i = 0; i < 3; i++) await measureTelegramMessage(meter, outbound, target, chat, `warm ${i}`);
    const tg = await repeat(N, (i) => measureTelegramMessage(meter, outbound, target, chat, `hello ${i} ${tag}`));
    const telegramStats = { total: stat(tg.map((s) => s.total)), ackInFlow: stat(tg.map((s) => s.ack)), turn: stat(tg.map((s) => s.turn)), delivery: stat(tg.map((s) => s.delivery)) };
    const acks = stat(await measureAcksWhileBusy(meter, outbound, target, chat, `busy-${tag}`, Math.min(N, 15)));
    log(`Telegram: ack ${acks.cpu.median.toFixed(2)} ms CPU (busy session), turn ${telegramStats.turn.cpu.median.toFixed(2)}, delivery ${telegramStats.delivery.cpu.median.toFixed(2)}, total ${telegramStats.total.cpu.median.toFixed(2)}`);

    // 200 messages of history: 100 turns of chat-length messages, all inside the default context window.
    const line = "Could you remind me what we said about the schedule for next week and the budget? ";
    for (let i = 0; i < 100; i++) await apiTurn(target, `h200-${tag}`, `${line}#${i}`);
    const h200 = stat(await repeat(Math.min(N, 20), (i) => measureApiTurn(meter, outbound, target, `h200-${tag}`, `${line}m${i}`)));
    log(`turn at 200 messages: ${h200.cpu.median.toFixed(2)} ms CPU`);
    result.floor = { echo, echoAlarm, echoRelay };
    result.turns = { apiPlain, tool, exec, history200: h200 };
    result.telegram = { ...telegramStats, ack: acks };
  } finally {
    await h.runtime.dispose();
  }

  result.flat = await flatWithHistory(main, urls, log, tag);
  result.cold = await coldStart(main, urls, log);
  result.tailEvents = await tailCheck(main, urls, log);
  main.dispose();
  await Promise.all([llm.close(), telegram.close(), runner.close()]);
  return result;
}

/** Turn 10 vs turn FLAT_TURNS of one session, with a window that ten long messages fill (same replay size). */
async function flatWithHistory(main: BuiltWorker, urls: any, log: (line: string) => void, tag: string) {
  const worker = await buildWorker(benchConfig(urls, 8192));
  const h = await startHarness(worker, urls);
  try {
    const { meter, outbound, target } = h;
    await meter.calibrateIdle(500);
    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    const echo = stat(await repeat(N, (i) => measureEcho(meter, h.runtime.echoUrl, i)));
    const session = `flat-${tag}`;
    for (let i = 1; i < 10; i++) await apiTurn(target, session, `${filler} #${i}`);
    const early = stat(await repeat(Math.min(N, 20), (i) => measureApiTurn(meter, outbound, target, session, `${filler} early ${i}`)));
    const started = performance.now();
    for (let i = 10 + early.cpu.n; i < FLAT_TURNS; i++) {
      await apiTurn(target, session, `${filler} #${i}`);
      if (i % 500 === 0) log(`  flat: turn ${i} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const late = stat(await repeat(Math.min(N, 20), (i) => measureApiTurn(meter, outbound, target, session, `${filler} late ${i}`)));
    log(`flat: turn 10 ${early.cpu.median.toFixed(2)} ms CPU vs turn ${FLAT_TURNS} ${late.cpu.median.toFixed(2)} ms`);
    return { turns: FLAT_TURNS, contextWindowTokens: 8192, echo, early, late, cpuRatio: late.cpu.median / early.cpu.median, overheadRatio: late.overhead!.median / early.overhead!.median };
  } finally {
    await h.runtime.dispose();
    worker.dispose();
  }
}

/**
 * Cold start. workerd compiles and evaluates a Worker's modules when it starts (production does it on the first
 * request), so the cold cost is (startup CPU with the nanobot Worker − startup CPU of the echo-only runtime) +
 * (first turn on a fresh session object − a warm turn). Same for wall time.
 */
async function coldStart(main: BuiltWorker, urls: any, log: (line: string) => void) {
  const runs: Array<{ startupCpuMs: number; echoStartupCpuMs: number; startupWallMs: number; echoStartupWallMs: number; first: Sample; warm: Sample }> = [];
  for (let r = 0; r < COLD_RUNS; r++) {
    const echoOnly = await startRuntime({});
    const echoStartupCpuMs = echoOnly.pids().reduce((s, pid) => s + processCpuNs(pid), 0) / 1e6;
    const echoStartupWallMs = echoOnly.startupMs;
    await echoOnly.dispose();
    const h = await startHarness(main, urls);
    try {
      const startupCpuMs = h.meter.now() / 1e6;
      const first = await measureApiTurn(h.meter, h.outbound, h.target, `cold-${r}`, "hello");
      const warmRuns = await repeat(7, (i) => measureApiTurn(h.meter, h.outbound, h.target, `cold-${r}`, `again ${i}`));
      const warm = { cpuMs: summarize(warmRuns.slice(2).map((s) => s.cpuMs)).median, wallMs: summarize(warmRuns.slice(2).map((s) => s.wallMs)).median };
      runs.push({ startupCpuMs, echoStartupCpuMs, startupWallMs: h.runtime.startupMs, echoStartupWallMs, first, warm });
    } finally {
      await h.runtime.dispose();
    }
  }
  const extraCpu = runs.map((r) => r.startupCpuMs - r.echoStartupCpuMs + r.first.cpuMs - r.warm.cpuMs);
  const extraWall = runs.map((r) => r.startupWallMs - r.echoStartupWallMs + r.first.wallMs - r.warm.wallMs);
  const firstTurnExtraCpu = runs.map((r) => r.first.cpuMs - r.warm.cpuMs);
  const firstTurnExtraWall = runs.map((r) => r.first.wallMs - r.warm.wallMs);
  const scriptStartupCpu = runs.map((r) => r.startupCpuMs - r.echoStartupCpuMs);
  log(`cold start: +${summarize(extraCpu).median.toFixed(1)} ms CPU, +${summarize(extraWall).median.toFixed(1)} ms wall over a warm turn`);
  return { runs, extraCpu: summarize(extraCpu), extraWall: summarize(extraWall), firstTurnExtraCpu: summarize(firstTurnExtraCpu), firstTurnExtraWall: summarize(firstTurnExtraWall), scriptStartupCpu: summarize(scriptStartupCpu) };
}

/** What workerd's own accounting reports locally: one Telegram message and one API turn with tail workers on. */
async function tailCheck(main: BuiltWorker, urls: any, log: (line: string) => void) {
  const h = await startHarness(main, urls, true);
  try {
    await apiTurn(h.target, "tail-check", "hello");
    await telegramUpdate(h.target, 8_100_000_001, "hello");
    await new Promise((r) => setTimeout(r, 1500));
    const events = h.runtime.tailEvents.map((e) => ({
      model: e.executionModel,
      entrypoint: e.entrypoint ?? "default",
      event: e.event?.request ? `fetch ${new URL(e.event.request.url).pathname}` : e.event?.rpcMethod ? `rpc ${e.event.rpcMethod}` : e.event?.scheduledTime ? "alarm" : "other",
      cpuTime: e.cpuTime,
      wallTime: e.wallTime,
    }));
    log(`tail events: ${events.length}, cpuTime values seen: ${[...new Set(events.map((e) => e.cpuTime))].join(", ")}`);
    return events;
  } finally {
    await h.runtime.dispose();
  }
}

if (import.meta.main) {
  runProductionBench((line) => process.stderr.write(`[bench:production] ${line}\n`))
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((err) => {
      process.stderr.write(`[bench:production] failed: ${err?.stack ?? err}\n`);
      process.exit(1);
    });
}
