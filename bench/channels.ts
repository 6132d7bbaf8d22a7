/**
 * Channel benchmarks (issue: Telegram and Slack over webhooks), against a real gateway (workerd) with the
 * stand-in Telegram Bot API and the stand-in LLM:
 * - webhook ack latency: Telegram update POST → 200, sequential, each after the previous reply arrived: to
 *   known chats, to new chats (session object created on the way), and with a 2-second model to show the
 *   ack does not wait for the model (target: median ≤ 20 ms)
 * - burst: 200 concurrent updates across 100 chats; lost = a message that never reached the model or a chat
 *   that got no reply; duplicated = the same reply sent twice to a chat. Throughput = updates acknowledged
 *   per second and replies delivered per second.
 *
 * `node bench/channels.ts` starts its own stand-ins and gateway and prints JSON. To measure a gateway that is
 * already running, pass `--url http://… --telegram http://<its apiRoot> --llm http://<its LLM stand-in>
 * [--secret <webhookSecretToken>]`: its config needs channels.telegram.allowFrom ["*"], streaming false and a
 * rate limit above 2 messages per sender. `runChannelsBench` is the same as a function, for `npm run bench`.
 */
import { parseArgs } from "node:util";
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { startStandInTelegram } from "../tests/support/stand-in-telegram.ts";
import { median, startBenchGateway } from "./lib/gateway.ts";

export interface ChannelsBenchResult {
  ack: { knownChatMedianMs: number; knownChatP95Ms: number; newChatMedianMs: number; slowModelMedianMs: number; samples: number };
  burst: { updates: number; chats: number; replies: number; lost: number; duplicated: number; ackSeconds: number; allRepliedSeconds: number; updatesPerSecond: number; repliesPerSecond: number };
}

export interface ChannelsBenchTarget {
  gatewayUrl: string;
  telegramUrl: string;
  llmUrl: string;
  secret: string;
}

const SAMPLES = Number(process.env.BENCH_ACK_SAMPLES ?? 40);
const BURST_CHATS = 100;
const PER_CHAT = 2;
const SLOW_MODEL_MS = 2_000;

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function update(chatId: number, text: string, updateId: number) {
  return { update_id: updateId, message: { message_id: updateId % 1_000_000, date: Math.floor(Date.now() / 1000), from: { id: chatId, is_bot: false, first_name: "Bench" }, chat: { id: chatId, type: "private", first_name: "Bench" }, text } };
}

async function post(target: ChannelsBenchTarget, body: unknown): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${target.gatewayUrl}/webhooks/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": target.secret },
    body: JSON.stringify(body),
  });
  await res.text();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  return performance.now() - started;
}

async function sentTo(target: ChannelsBenchTarget): Promise<Array<{ params: { chat_id: number | string; text: string }; status: number }>> {
  return (await fetch(`${target.telegramUrl}/__calls?method=sendMessage`)).json() as Promise<Array<{ params: { chat_id: number | string; text: string }; status: number }>>;
}

/** Waits until `chat` has received `count` replies from the bot (replies arrive via the stand-in). */
async function waitForReplies(target: ChannelsBenchTarget, chat: number, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await sentTo(target)).filter((c) => c.status === 200 && String(c.params.chat_id) === String(chat)).length < count) {
    if (Date.now() > deadline) throw new Error(`chat ${chat} got no reply within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function runChannelsBench(target: ChannelsBenchTarget, log: (line: string) => void = () => {}): Promise<ChannelsBenchResult> {
  const tag = `cb${Date.now().toString(36)}`;
  let nextUpdate = Math.floor(Math.random() * 1e9);
  let nextChat = 7_000_000_000 + Math.floor(Math.random() * 1e8);
  const say = (chat: number, text: string) => post(target, update(chat, text, nextUpdate++));

  // Warm chats: their session objects exist, as for anyone who has talked to the bot before.
  const warm = Array.from({ length: 10 }, () => nextChat++);
  for (const chat of warm) {
    await say(chat, `warm ${tag}`);
    await waitForReplies(target, chat, 1);
  }
  const replies = new Map<number, number>(warm.map((c) => [c, 1]));

  // Each sample waits for its reply first, so the ack is measured on an idle gateway, not against the last turn.
  log(`ack latency, ${SAMPLES} updates to known chats, instant model`);
  const instant: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const chat = warm[i % warm.length];
    instant.push(await say(chat, `ack ${tag} ${i}`));
    replies.set(chat, replies.get(chat)! + 1);
    await waitForReplies(target, chat, replies.get(chat)!);
  }
  log(`ack latency, ${SAMPLES >> 1} updates to new chats (session object created), instant model`);
  const fresh: number[] = [];
  for (let i = 0; i < SAMPLES >> 1; i++) {
    const chat = nextChat++;
    fresh.push(await say(chat, `new ${tag} ${i}`));
    await waitForReplies(target, chat, 1);
  }
  log(`ack latency, ${warm.length} updates to known chats, ${SLOW_MODEL_MS} ms model`);
  const slowToken = `slow-${tag}`;
  await fetch(`${target.llmUrl}/__scripts`, { method: "POST", body: JSON.stringify({ match: slowToken, steps: Array.from({ length: warm.length }, () => ({ content: "slow answer", delayMs: SLOW_MODEL_MS })) }) });
  const slow: number[] = [];
  for (const chat of warm) slow.push(await say(chat, `${slowToken} ${chat}`));
  for (const chat of warm) await waitForReplies(target, chat, replies.get(chat)! + 1);

  log(`burst: ${BURST_CHATS * PER_CHAT} concurrent updates across ${BURST_CHATS} chats`);
  const chats = Array.from({ length: BURST_CHATS }, () => nextChat++);
  const messages = chats.flatMap((chat) => Array.from({ length: PER_CHAT }, (_, i) => ({ chat, token: `burst-${tag}-${chat}-${i}` })));
  const burstStart = performance.now();
  await Promise.all(messages.map((m) => say(m.chat, `${m.token} please`)));
  const ackSeconds = (performance.now() - burstStart) / 1000;
  const chatSet = new Set(chats.map(String));
  const modelSaw = async () => JSON.stringify(await (await fetch(`${target.llmUrl}/__requests?match=burst-${tag}`)).json());
  let burstReplies: Awaited<ReturnType<typeof sentTo>> = [];
  let seenByModel = "";
  // Done when every message reached the model and every chat was answered, and nothing more arrives for 2 s.
  let stableSince = 0;
  let lastCount = -1;
  const deadline = Date.now() + 180_000;
  let allRepliedSeconds = 0;
  for (;;) {
    burstReplies = (await sentTo(target)).filter((c) => c.status === 200 && chatSet.has(String(c.params.chat_id)));
    seenByModel = await modelSaw();
    const complete = messages.every((m) => seenByModel.includes(m.token)) && chats.every((c) => burstReplies.some((r) => String(r.params.chat_id) === String(c)));
    if (burstReplies.length !== lastCount) {
      lastCount = burstReplies.length;
      stableSince = Date.now();
      allRepliedSeconds = (performance.now() - burstStart) / 1000;
    }
    if ((complete && Date.now() - stableSince > 2_000) || Date.now() > deadline) break;
    await sleep(100);
  }
  // Messages that arrive while their chat's turn runs join that turn (one reply may cover both), so "lost"
  // is judged on what reached the model plus whether every chat was answered.
  const unseen = messages.filter((m) => !seenByModel.includes(m.token)).length;
  const unanswered = chats.filter((c) => !burstReplies.some((r) => String(r.params.chat_id) === String(c))).length;
  const seen = new Set<string>();
  let duplicated = 0;
  for (const r of burstReplies) {
    const key = `${r.params.chat_id}\u0000${r.params.text}`;
    if (seen.has(key)) duplicated++;
    seen.add(key);
  }
  return {
    ack: { knownChatMedianMs: median(instant), knownChatP95Ms: p95(instant), newChatMedianMs: median(fresh), slowModelMedianMs: median(slow), samples: SAMPLES },
    burst: {
      updates: messages.length,
      chats: BURST_CHATS,
      replies: burstReplies.length,
      lost: unseen + unanswered,
      duplicated,
      ackSeconds,
      allRepliedSeconds,
      updatesPerSecond: messages.length / ackSeconds,
      repliesPerSecond: burstReplies.length / allRepliedSeconds,
    },
  };
}

/** Stand-ins + a fresh `npm start` gateway configured for the bench, then the bench. */
export async function runChannelsBenchStandalone(log: (line: string) => void): Promise<ChannelsBenchResult> {
  const [llm, telegram] = await Promise.all([startStandInLlm(), startStandInTelegram()]);
  const secret = "bench-secret";
  const gateway = await startBenchGateway({
    agents: { defaults: { provider: "custom", model: "bench-model", maxTokens: 256 } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${llm.url}/v1` } },
    channels: {
      telegram: { enabled: true, token: "123456:BENCH", webhookSecretToken: secret, allowFrom: ["*"], apiRoot: telegram.url, streaming: false, mode: "webhook" },
      rateLimit: { messages: 1000, periodS: 60 },
    },
  });
  try {
    return await runChannelsBench({ gatewayUrl: gateway.url, telegramUrl: telegram.url, llmUrl: llm.url, secret }, log);
  } finally {
    await gateway.stop();
    await Promise.all([llm.close(), telegram.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { url: { type: "string" }, telegram: { type: "string" }, llm: { type: "string" }, secret: { type: "string", default: "tg-secret" } } });
  const log = (line: string) => process.stderr.write(`[bench:channels] ${line}\n`);
  const run = values.url
    ? runChannelsBench({ gatewayUrl: values.url, telegramUrl: values.telegram ?? "", llmUrl: values.llm ?? "", secret: values.secret ?? "tg-secret" }, log)
    : runChannelsBenchStandalone(log);
  run.then(
    (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
    (err) => {
      process.stderr.write(`[bench:channels] failed: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
