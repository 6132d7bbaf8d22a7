/**
 * Where a warm turn's CPU goes: V8 CPU profile of the nanobot Worker's isolate (Worker and Durable Objects share
 * it) through workerd's inspector, over `BENCH_PROFILE_TURNS` API turns (default 40) after a warm-up, with self
 * time attributed to source files through the bundle's source map. `BENCH_PROFILE_KIND=telegram` profiles
 * webhook messages instead. Prints the top files and writes the raw profile to `$TMPDIR/nanobot-turn.cpuprofile`
 * (open it in Chrome DevTools → Performance) with the bundle's source map next to it.
 *
 * `node bench/profile-turn.ts`
 */
import { readFileSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import os from "node:os";
import path from "node:path";
import { freePort } from "../scripts/lib/net-wait.ts";
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { startStandInTelegram } from "../tests/support/stand-in-telegram.ts";
import { apiTurn, telegramUpdate, type Target } from "./lib/production-scenarios.ts";
import { buildWorker, startRuntime } from "./lib/production-worker.ts";

const TURNS = Number(process.env.BENCH_PROFILE_TURNS ?? 40);
const KIND = process.env.BENCH_PROFILE_KIND ?? "api";
/** `BENCH_PROFILE_WARMUP=0 BENCH_PROFILE_TURNS=1` profiles the first turn of a fresh isolate and session object. */
const WARMUP = Number(process.env.BENCH_PROFILE_WARMUP ?? 10);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{ title: string; webSocketDebuggerUrl: string }>;
  const target = targets.find((t) => t.title.includes("core:user:nanobot"));
  if (!target) throw new Error(`no inspector target for the nanobot Worker among: ${targets.map((t) => t.title).join(", ")}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  let id = 0;
  const pending = new Map<number, (value: any) => void>();
  ws.onmessage = (m) => {
    const data = JSON.parse(String(m.data));
    pending.get(data.id)?.(data.result);
    pending.delete(data.id);
  };
  const call = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return { call, close: () => ws.close() };
}

/** Self time per source file (node_modules collapsed to the package). */
export function attribute(profile: Profile, map: SourceMap, bundleName: string): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((nodeId, i) => {
    const frame = byId.get(nodeId)!.callFrame;
    let key = `[${frame.functionName || frame.url}]`;
    if (frame.url.endsWith(bundleName)) {
      const source = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string };
      const file = (source.originalSource ?? "(bundle top level)").replace(/.*node_modules\//, "npm:").replace(/^.*?\/((src|durable-objects)\/)/, "$1");
      key = file.startsWith("npm:") ? file.split("/").slice(0, file.startsWith("npm:@") ? 2 : 1).join("/") : file;
    }
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const llm = await startStandInLlm();
  const telegram = await startStandInTelegram();
  const config = {
    agents: { defaults: { provider: "custom", model: "bench-model", maxTokens: 512, timezone: "UTC" } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${llm.url}/v1` } },
    api: { apiKey: "bench-key" },
    channels: { telegram: { enabled: true, token: "123456:BENCH", webhookSecretToken: "s", allowFrom: ["*"], apiRoot: telegram.url, streaming: false, mode: "webhook" }, rateLimit: { messages: 100_000, periodS: 60 } },
  };
  const worker = await buildWorker(config);
  const port = await freePort();
  const runtime = await startRuntime({ worker, inspectorPort: port });
  const target: Target = { url: runtime.nanobotUrl, apiKey: "bench-key", telegramSecret: "s", llmUrl: llm.url, telegramUrl: telegram.url };
  const chat = 8_200_000_000 + Math.floor(Math.random() * 1e6);
  const turn = async (i: number) => {
    if (KIND === "telegram") {
      await telegramUpdate(target, chat, `hello ${i}`);
      await new Promise((r) => setTimeout(r, 60));
    } else await apiTurn(target, "profiled", `hello ${i}`);
  };
  try {
    for (let i = 0; i < WARMUP; i++) await turn(i);
    const session = await inspector(port);
    await session.call("Profiler.enable");
    await session.call("Profiler.setSamplingInterval", { interval: 100 });
    await session.call("Profiler.start");
    for (let i = 0; i < TURNS; i++) await turn(100 + i);
    const { profile } = (await session.call("Profiler.stop")) as { profile: Profile };
    session.close();
    const out = path.join(os.tmpdir(), "nanobot-turn.cpuprofile");
    writeFileSync(out, JSON.stringify(profile));
    const mapText = readFileSync(path.join(worker.dir, "index.js.map"), "utf8");
    writeFileSync(out.replace(/\.cpuprofile$/, ".index.js.map"), mapText);
    const map = new SourceMap(JSON.parse(mapText));
    const rows = attribute(profile, map, "index.js").filter(([k]) => k !== "[(idle)]");
    const busy = rows.reduce((s, [, ms]) => s + ms, 0);
    process.stdout.write(`${KIND} turns: ${TURNS}; sampled non-idle ${(busy / TURNS).toFixed(2)} ms per turn in the isolate\n`);
    for (const [k, ms] of rows.slice(0, 25)) process.stdout.write(`${(ms / TURNS).toFixed(3).padStart(8)} ms/turn  ${k}\n`);
    process.stdout.write(`profile: ${out}\n`);
  } finally {
    await runtime.dispose();
    worker.dispose();
    await llm.close();
    await telegram.close();
  }
}

if (import.meta.main) main().catch((err) => (process.stderr.write(`${err?.stack ?? err}\n`), process.exit(1)));
