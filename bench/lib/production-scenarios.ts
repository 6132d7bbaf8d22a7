/**
 * The invocations bench/production.ts measures, each as CPU of the workerd process (bench/lib/workerd-cpu.ts) and
 * wall time, one request at a time with the process quiet before and after (so alarms and waitUntil work the
 * request set off are counted with it).
 */
import type { CpuMeter } from "./workerd-cpu.ts";

export interface Sample {
  cpuMs: number;
  wallMs: number;
  /** Wall time minus the time spent waiting for the model (client view). */
  overheadMs?: number;
}

export interface Target {
  url: string;
  apiKey: string;
  telegramSecret: string;
  llmUrl: string;
  telegramUrl: string;
}

export interface OutboundMark {
  url: string;
  at: number;
  cpuNs: number;
  /** Set when the stand-in's answer has been handed back to workerd. */
  doneAt?: number;
}

/** Outbound calls seen by the Node hook since `since` (the hook is installed by the runtime). */
export class OutboundLog {
  readonly marks: OutboundMark[] = [];
  private readonly meter: () => CpuMeter;
  constructor(meter: () => CpuMeter) {
    this.meter = meter;
  }
  record(url: string): OutboundMark {
    const mark = { url, at: performance.now(), cpuNs: this.meter().now() };
    this.marks.push(mark);
    return mark;
  }
  since(at: number, match?: string): OutboundMark[] {
    return this.marks.filter((m) => m.at >= at && (!match || m.url.includes(match)));
  }
  modelMs(at: number, llmUrl: string): number {
    return this.since(at, llmUrl).reduce((sum, m) => sum + ((m.doneAt ?? m.at) - m.at), 0);
  }
}

export async function script(llmUrl: string, match: string, steps: object[]): Promise<void> {
  await fetch(`${llmUrl}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
}

export async function apiTurn(target: Target, sessionId: string, text: string): Promise<void> {
  const res = await fetch(`${target.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ session_id: sessionId, messages: [{ role: "user", content: text }] }),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`turn failed: ${res.status} ${body.slice(0, 300)}`);
}

let nextUpdate = Math.floor(Math.random() * 1e9);

export async function telegramUpdate(target: Target, chatId: number, text: string): Promise<void> {
  const update_id = nextUpdate++;
  const body = { update_id, message: { message_id: update_id % 1_000_000, date: Math.floor(Date.now() / 1000), from: { id: chatId, is_bot: false, first_name: "Bench" }, chat: { id: chatId, type: "private", first_name: "Bench" }, text } };
  const res = await fetch(`${target.url}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": target.telegramSecret },
    body: JSON.stringify(body),
  });
  const answer = await res.text();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${answer.slice(0, 200)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the Bot API stand-in to have received a sendMessage containing `token`. */
async function waitForSend(log: OutboundLog, since: number, timeoutMs = 20_000): Promise<OutboundMark> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const sent = log.since(since, "/sendMessage");
    if (sent.length) return sent[0];
    if (performance.now() > deadline) throw new Error("no sendMessage within the timeout");
    await sleep(2);
  }
}

/** One API turn (Worker fetch → session object → model → history), and the alarm it arms. */
export async function measureApiTurn(meter: CpuMeter, log: OutboundLog, target: Target, sessionId: string, text: string): Promise<Sample> {
  const started = performance.now();
  const m = await meter.measure(() => apiTurn(target, sessionId, text));
  return { cpuMs: m.cpuNs / 1e6, wallMs: m.wallMs, overheadMs: m.wallMs - log.modelMs(started, target.llmUrl) };
}

export interface TelegramSample {
  /** The whole message: webhook ack + the alarm's turn + delivery. */
  total: Sample;
  /** Webhook request until its 200 (may include the first instructions of the alarm it arms). */
  ack: Sample;
  /** From the 200 to the sendMessage request reaching the Bot API: the alarm's turn. */
  turn: Sample;
  /** From the sendMessage request to the end of the alarm: delivery's answer handling and bookkeeping. */
  delivery: { cpuMs: number };
}

/** A Telegram message through the webhook to a known chat, cut at the I/O points the Node hooks see. */
export async function measureTelegramMessage(meter: CpuMeter, log: OutboundLog, target: Target, chatId: number, text: string): Promise<TelegramSample> {
  await meter.settle();
  const c0 = meter.now();
  const t0 = performance.now();
  await telegramUpdate(target, chatId, text);
  const c1 = meter.now();
  const t1 = performance.now();
  const send = await waitForSend(log, t0);
  await meter.settle();
  const c2 = meter.now();
  const t2 = performance.now();
  const idle = (ms: number) => meter.idleNsPerMs * ms;
  const toMs = (ns: number) => ns / 1e6;
  return {
    total: { cpuMs: toMs(c2 - c0 - idle(t2 - t0)), wallMs: send.at - t0 },
    ack: { cpuMs: toMs(c1 - c0 - idle(t1 - t0)), wallMs: t1 - t0 },
    turn: { cpuMs: toMs(send.cpuNs - c1 - idle(send.at - t1)), wallMs: send.at - t1, overheadMs: send.at - t1 - log.modelMs(t1, target.llmUrl) },
    delivery: { cpuMs: toMs(c2 - send.cpuNs - idle(t2 - send.at)) },
  };
}

/**
 * Webhook acknowledgements alone: the chat's session object is in the middle of a turn (the model is scripted to
 * take `holdMs`), so the acknowledged messages queue behind it and no alarm runs during the measurements. The
 * code path is the production one (parse → access → rate limit → session inbox → 200); only the alarm time the
 * object arms differs.
 */
export async function measureAcksWhileBusy(meter: CpuMeter, log: OutboundLog, target: Target, chatId: number, token: string, count: number): Promise<Sample[]> {
  const holdMs = 2_000 + count * 250;
  await script(target.llmUrl, token, [{ content: "held", delayMs: holdMs }]);
  const before = performance.now();
  await telegramUpdate(target, chatId, `hold ${token}`);
  while (!log.since(before, target.llmUrl).length) await sleep(5);
  const samples: Sample[] = [];
  const deadline = before + holdMs - 300;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const m = await meter.measure(() => telegramUpdate(target, chatId, `queued ${i} ${token}`));
    samples.push({ cpuMs: m.cpuNs / 1e6, wallMs: m.wallMs });
  }
  // Let the held turn finish (it picks up the queued messages) before anything else is measured.
  await waitForSend(log, before, holdMs + 20_000);
  await sleep(200);
  await meter.settle(200, 20_000);
  return samples;
}

/** The echo floor: Worker fetch → Durable Object RPC that writes one row → response. */
export async function measureEcho(meter: CpuMeter, echoUrl: string, i: number): Promise<Sample> {
  const m = await meter.measure(async () => {
    const res = await fetch(`${echoUrl}/?id=floor`, { method: "POST", body: `ping ${i}` });
    await res.text();
  });
  return { cpuMs: m.cpuNs / 1e6, wallMs: m.wallMs, overheadMs: m.wallMs };
}

/** The alarm floor: Worker fetch → RPC arming an alarm for now → the alarm handler (one read). */
export async function measureEchoAlarm(meter: CpuMeter, echoUrl: string): Promise<Sample> {
  const m = await meter.measure(async () => {
    const res = await fetch(`${echoUrl}/alarm?id=floor-alarm`, { method: "POST" });
    await res.text();
  });
  return { cpuMs: m.cpuNs / 1e6, wallMs: m.wallMs };
}

/** The floor of a turn: Worker → Durable Object → one model call (non-streaming) → response. */
export async function measureEchoRelay(meter: CpuMeter, log: OutboundLog, echoUrl: string, llmUrl: string, i: number): Promise<Sample> {
  const started = performance.now();
  const body = JSON.stringify({ model: "bench-model", messages: [{ role: "user", content: `ping ${i}` }] });
  const m = await meter.measure(async () => {
    const res = await fetch(`${echoUrl}/relay?id=floor-relay&url=${encodeURIComponent(`${llmUrl}/v1/chat/completions`)}`, { method: "POST", body });
    await res.text();
  });
  return { cpuMs: m.cpuNs / 1e6, wallMs: m.wallMs, overheadMs: m.wallMs - log.modelMs(started, llmUrl) };
}
