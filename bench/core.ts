/**
 * Core runtime benchmarks (issue: core runtime), measured against a real `npm start` gateway (workerd) and the
 * stand-in LLM answering instantly:
 * - framework overhead per turn: API request → reply, minus the stand-in's own serving time
 * - CPU per turn: CPU seconds of the workerd processes over N turns
 * - flat with history: overhead in a session with 10,000 messages vs one with 10
 * - prompt weight: bytes/tokens of the model request for "hello" in a fresh session
 */
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";
import { chatTurn, median, startBenchGateway } from "./lib/gateway.ts";

export interface CoreBenchResult {
  plainTurnOverheadMs: number;
  toolTurnOverheadMs: number;
  cpuPerTurnMs: number;
  historyOverheadMs: { small: number; large: number; ratio: number; largeMessages: number };
  promptWeight: { bytes: number; estimatedTokens: number; tools: number };
}

const TURNS = Number(process.env.BENCH_TURNS ?? 60);
const HISTORY_MESSAGES = Number(process.env.BENCH_HISTORY ?? 10_000);

interface Recorded {
  body: { messages: unknown[]; tools?: unknown[] };
  servedMs?: number;
}

async function recorded(llmUrl: string, match: string): Promise<Recorded[]> {
  return (await fetch(`${llmUrl}/__requests?match=${encodeURIComponent(match)}`)).json() as Promise<Recorded[]>;
}

async function script(llmUrl: string, match: string, steps: object[]): Promise<void> {
  await fetch(`${llmUrl}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
}

/** Overhead of one turn: client latency minus the time the stand-in spent serving its model calls. */
async function overheadOf(llmUrl: string, run: () => Promise<number>, token: string): Promise<number> {
  const total = await run();
  const served = (await recorded(llmUrl, token)).reduce((sum, r) => sum + (r.servedMs ?? 0), 0);
  return total - served;
}

export async function runCoreBench(log: (line: string) => void): Promise<CoreBenchResult> {
  const llm = await startStandInLlm();
  // A window that ten long messages already fill, so the 10-message and 10,000-message sessions replay the
  // same amount and the comparison isolates the cost of stored history.
  const config = {
    agents: { defaults: { provider: "custom", model: "bench-model", maxTokens: 512, contextWindowTokens: 8192 } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${llm.url}/v1` } },
  };
  const gateway = await startBenchGateway(config);
  try {
    const tag = `b${Date.now().toString(36)}`;
    // Warm-up: isolate start, DO creation, workspace seeding.
    for (let i = 0; i < 5; i++) await chatTurn(gateway, `warm-${tag}`, `warm ${i}`);

    const prompt = `hello-${tag}`;
    await chatTurn(gateway, `fresh-${tag}`, `hello ${prompt}`);
    const [helloRequest] = await recorded(llm.url, prompt);
    const promptBytes = JSON.stringify({ messages: helloRequest.body.messages, tools: helloRequest.body.tools ?? [] }).length;
    const promptWeight = { bytes: promptBytes, estimatedTokens: Math.ceil(promptBytes / 4), tools: helloRequest.body.tools?.length ?? 0 };
    log(`prompt weight: ${promptBytes} bytes (~${promptWeight.estimatedTokens} tokens), ${promptWeight.tools} tools`);

    const plain: number[] = [];
    const cpuBefore = gateway.workerdCpuSeconds();
    for (let i = 0; i < TURNS; i++) {
      const token = `plain-${tag}-${i}`;
      plain.push(await overheadOf(llm.url, () => chatTurn(gateway, `plain-${tag}`, `turn ${token}`), token));
    }
    const cpuPerTurnMs = ((gateway.workerdCpuSeconds() - cpuBefore) * 1000) / TURNS;
    log(`plain turn overhead median ${median(plain).toFixed(2)} ms; CPU ${cpuPerTurnMs.toFixed(2)} ms/turn`);

    const tool: number[] = [];
    for (let i = 0; i < Math.max(10, TURNS / 2); i++) {
      const token = `tool-${tag}-${i}`;
      await script(llm.url, token, [{ toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }, { content: "done" }]);
      tool.push(await overheadOf(llm.url, () => chatTurn(gateway, `tool-${tag}`, `list ${token}`), token));
    }
    log(`tool turn overhead median ${median(tool).toFixed(2)} ms`);

    const filler = "lorem ipsum dolor sit amet ".repeat(60);
    const seed = async (session: string, messages: number) => {
      for (let i = 0; i < messages / 2; i++) {
        await chatTurn(gateway, session, `${filler} #${i}`);
        if (i % 1000 === 999) log(`  seeded ${(i + 1) * 2} messages`);
      }
    };
    await seed(`small-${tag}`, 10);
    await seed(`large-${tag}`, HISTORY_MESSAGES);
    const measure = async (session: string) => {
      const values: number[] = [];
      for (let i = 0; i < 30; i++) {
        const token = `${session}-m${i}`;
        values.push(await overheadOf(llm.url, () => chatTurn(gateway, session, `${filler} ${token}`), token));
      }
      return median(values);
    };
    const small = await measure(`small-${tag}`);
    const large = await measure(`large-${tag}`);
    log(`history: overhead ${small.toFixed(2)} ms with 10 messages, ${large.toFixed(2)} ms with ${HISTORY_MESSAGES}`);
    return {
      plainTurnOverheadMs: median(plain),
      toolTurnOverheadMs: median(tool),
      cpuPerTurnMs,
      historyOverheadMs: { small, large, ratio: large / small, largeMessages: HISTORY_MESSAGES },
      promptWeight,
    };
  } finally {
    await gateway.stop();
    await llm.close();
  }
}
