/**
 * WebUI benchmarks (issue 7), against a real gateway (`npm start`, workerd) with the stand-in LLM answering
 * instantly:
 * - page weight: index.html + app.js + app.css as built into webui-dist/, gzip -9 (what the first load
 *   transfers; target ≤ 150 KB)
 * - send → first delta: a `message` frame on an open socket until the first `delta` event arrives, sequential,
 *   median of BENCH_WEBUI_TURNS (default 20) after 3 warm-ups (target ≤ 30 ms)
 * - idle wake-ups: a socket stays open for BENCH_IDLE_S seconds (default 20; the window is 300) sending
 *   only "ping" every 5 s. The hub counts its constructor runs ("wakes") and webSocketMessage calls ("messages")
 *   in its own SQLite; both are read through GET /webui/stats before and after. Pings are answered by
 *   setWebSocketAutoResponse, so the idle window must add 0 message-handler runs, and at most the one
 *   constructor run caused by the final stats read itself if the runtime evicted the hibernated object.
 *   Then a message on the same socket must still be answered (the hibernated socket survived).
 *
 * `node bench/webui.ts` prints JSON; `runWebuiBench` is the same for `npm run bench`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildWebui, webuiDist } from "../scripts/build-webui.ts";
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { median, startBenchGateway, type BenchGateway } from "./lib/gateway.ts";

export interface WebuiBenchResult {
  page: { files: Record<string, { bytes: number; gzipBytes: number }>; gzipBytes: number };
  firstDelta: { medianMs: number; p95Ms: number; samples: number };
  idle: { seconds: number; pings: number; pongs: number; messageHandlerRuns: number; constructorRuns: number; answeredAfterIdle: boolean; closed: { code: number; afterMs: number } | null };
}

const TURNS = Number(process.env.BENCH_WEBUI_TURNS ?? 20);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pageWeight(): WebuiBenchResult["page"] {
  const files: WebuiBenchResult["page"]["files"] = {};
  for (const name of ["index.html", "app.js", "app.css"]) {
    const bytes = readFileSync(path.join(webuiDist, name));
    files[name] = { bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  }
  return { files, gzipBytes: Object.values(files).reduce((sum, f) => sum + f.gzipBytes, 0) };
}

interface Socket {
  ws: WebSocket;
  closed: () => { code: number; afterMs: number } | null;
  waitFor: (pred: (e: any) => boolean) => Promise<any>;
  pongs: () => number;
}

async function connect(gateway: BenchGateway, clientId: string): Promise<Socket> {
  const auth = { authorization: `Bearer ${gateway.apiKey}` };
  const { token } = (await (await fetch(`${gateway.url}/webui/token?client_id=${clientId}`, { headers: auth })).json()) as { token: string };
  const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/ws?client_id=${clientId}&token=${token}`);
  let pongs = 0;
  const opened = performance.now();
  let closed: { code: number; afterMs: number } | null = null;
  ws.addEventListener("close", (e) => (closed = { code: e.code, afterMs: Math.round(performance.now() - opened) }));
  let waiter: { pred: (e: any) => boolean; resolve: (e: any) => void } | null = null;
  ws.addEventListener("message", (m) => {
    if (m.data === "pong") return void pongs++;
    const event = JSON.parse(String(m.data));
    if (waiter?.pred(event)) {
      const w = waiter;
      waiter = null;
      w.resolve(event);
    }
  });
  const socket: Socket = {
    ws,
    closed: () => closed,
    pongs: () => pongs,
    waitFor: (pred) => new Promise((resolve, reject) => {
      waiter = { pred, resolve };
      setTimeout(() => reject(new Error("timed out waiting for a WebSocket event")), 15_000);
    }),
  };
  const ready = socket.waitFor((e) => e.event === "ready");
  await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = j)));
  return { ...socket, ...{ ready: await ready } };
}

async function stats(gateway: BenchGateway, clientId: string): Promise<Record<string, number>> {
  return (await fetch(`${gateway.url}/webui/stats?client_id=${clientId}`, { headers: { authorization: `Bearer ${gateway.apiKey}` } })).json() as Promise<Record<string, number>>;
}

export async function runWebuiBench(log: (line: string) => void = () => {}): Promise<WebuiBenchResult> {
  await buildWebui();
  const page = pageWeight();
  log(`webui page: ${page.gzipBytes} bytes gzip`);
  const llm = await startStandInLlm();
  const gateway = await startBenchGateway({ agents: { defaults: { provider: "custom", model: "test-model" } }, providers: { custom: { apiKey: "sk", apiBase: `${llm.url}/v1` } } });
  try {
    const sock = await connect(gateway, "bench-latency");
    const samples: number[] = [];
    for (let i = 0; i < TURNS + 3; i++) {
      const started = performance.now();
      const first = sock.waitFor((e) => e.event === "delta");
      sock.ws.send(JSON.stringify({ type: "message", content: `hello ${i}` }));
      await first;
      const ms = performance.now() - started;
      await sock.waitFor((e) => e.event === "turn_end");
      if (i >= 3) samples.push(ms);
    }
    sock.ws.close(1000);
    const sorted = [...samples].sort((a, b) => a - b);
    const firstDelta = { medianMs: Number(median(samples).toFixed(2)), p95Ms: Number(sorted[Math.floor(sorted.length * 0.95)].toFixed(2)), samples: samples.length };
    log(`webui send → first delta: median ${firstDelta.medianMs} ms`);

    const idleClient = "bench-idle";
    const idleSock = await connect(gateway, idleClient);
    const before = await stats(gateway, idleClient);
    log(`webui idle socket for ${IDLE_S} s…`);
    let pings = 0;
    for (let t = 0; t < IDLE_S; t += 5) {
      await sleep(Math.min(5, IDLE_S - t) * 1000);
      idleSock.ws.send("ping");
      pings++;
    }
    await sleep(300);
    const after = await stats(gateway, idleClient);
    const reply = idleSock.waitFor((e) => e.event === "turn_end");
    idleSock.ws.send("still there?");
    const answeredAfterIdle = (await reply.then(() => true, () => false)) as boolean;
    idleSock.ws.close(1000);
    const idle = {
      seconds: IDLE_S,
      pings,
      pongs: idleSock.pongs(),
      messageHandlerRuns: (after.messages ?? 0) - (before.messages ?? 0),
      constructorRuns: (after.wakes ?? 0) - (before.wakes ?? 0),
      answeredAfterIdle,
      closed: idleSock.closed(),
    };
    return { page, firstDelta, idle };
  } finally {
    await gateway.stop();
    await llm.close();
  }
}

if (import.meta.main) {
  const result = await runWebuiBench((line) => process.stderr.write(`[bench] ${line}\n`));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
