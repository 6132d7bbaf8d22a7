/**
 * Memory benchmarks (`node --experimental-transform-types bench/memory.ts`: the Worker code uses parameter properties, which plain type stripping rejects). Prints one JSON object.
 *
 * 1. Context build: the system prompt of a turn (src/agent/context-builder.ts over the R2 workspace) for a
 *    fresh workspace vs one with 10,000 entries in memory/history.jsonl and a 50 KB MEMORY.md. The turn never
 *    reads history.jsonl (the session's own summaries live in its Durable Object), so only MEMORY.md grows.
 * 2. Dream CPU per workspace: 100 workspaces, each with new history, one Dream each against the stand-in LLM
 *    (one edit_file call, then a final line). CPU is process.cpuUsage() of this process around each run, so it
 *    also counts the local R2/D1 proxy's client side: an upper bound of what one Durable Object alarm spends.
 *
 * R2 and D1 are the real local implementations (wrangler's getPlatformProxy = miniflare, as in `npm start`).
 */
import { getPlatformProxy } from "wrangler";
import { runDream } from "../durable-objects/session/dream/dream-run.ts";
import type { MetaStore } from "../durable-objects/session/meta-store.ts";
import { buildSystemPrompt } from "../src/agent/context-builder.ts";
import { configSchema } from "../src/config/schema.ts";
import type { Env } from "../src/env.ts";
import { appendHistory } from "../src/memory/history-file.ts";
import { createWorkspace } from "../src/workspace/r2-workspace.ts";
import { ensureWorkspaceSeeded, isTemplateContent } from "../src/workspace/templates.ts";
import { startStandInLlm } from "../tests/support/stand-in-llm.ts";

const RUNS = 40;
const WORKSPACES = Number(process.env.BENCH_DREAM_WORKSPACES ?? 100);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const round = (n: number) => Math.round(n * 100) / 100;

class MemoryMeta {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  set(key: string, value: unknown): void {
    if (value === null || value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

const proxy = await getPlatformProxy<Env>({ configPath: "wrangler.toml", persist: false });
const llm = await startStandInLlm();
try {
  const env = proxy.env;
  // Only the stand-in LLM is needed; parsed by the schema directly because the bundled-config loader imports JSON.
  const config = configSchema.parse({
    agents: { defaults: { provider: "custom", model: "bench-model", timezone: "UTC" } },
    providers: { custom: { apiKey: "sk-bench", apiBase: `${llm.url}/v1` } },
  });
  await env.DB.exec(
    "CREATE TABLE IF NOT EXISTS memory_versions (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, kind TEXT NOT NULL, summary TEXT NOT NULL, files TEXT NOT NULL, restored_from TEXT, created_at INTEGER NOT NULL)",
  );

  // 1. Context build.
  const empty = createWorkspace(env.WORKSPACE, "bench-empty");
  const big = createWorkspace(env.WORKSPACE, "bench-big");
  await ensureWorkspaceSeeded(empty);
  await ensureWorkspaceSeeded(big);
  const fact = (i: number) => `- Fact ${i}: the user mentioned project-${i} on day ${i % 365}, status ${i % 3 ? "open" : "done"}.`;
  let memory = "# Long-term Memory\n\n";
  for (let i = 0; memory.length < 50 * 1024; i++) memory += `${fact(i)}\n`;
  await big.writeFile("memory/MEMORY.md", memory);
  const lines: string[] = [];
  for (let i = 1; i <= 10_000; i++) lines.push(JSON.stringify({ cursor: i, ts: "2026-11-01 10:00", session: "telegram:42", summary: `- [durable] ${fact(i)}` }));
  await env.WORKSPACE.put("workspaces/bench-big/memory/history.jsonl", `${lines.join("\n")}\n`);
  const build = async (ws: typeof empty) => {
    const t = performance.now();
    await buildSystemPrompt({ config, workspace: ws, channel: "telegram", isTemplate: isTemplateContent });
    return performance.now() - t;
  };
  for (let i = 0; i < 5; i++) await Promise.all([build(empty), build(big)]);
  const emptyMs: number[] = [];
  const bigMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    emptyMs.push(await build(empty));
    bigMs.push(await build(big));
  }

  // 2. Dream over many workspaces.
  const cpu: number[] = [];
  const wall: number[] = [];
  let changed = 0;
  for (let w = 0; w < WORKSPACES; w++) {
    const id = `bench-dream-${w}`;
    await ensureWorkspaceSeeded(createWorkspace(env.WORKSPACE, id));
    for (let i = 0; i < 5; i++) await appendHistory(env.WORKSPACE, id, "telegram:42", `- [permanent] ${fact(w * 10 + i)}`);
    await fetch(`${llm.url}/__scripts`, {
      method: "POST",
      body: JSON.stringify({
        match: `Dream for workspace ${id}\n`,
        steps: [
          { toolCalls: [{ name: "edit_file", arguments: { path: "memory/MEMORY.md", old_text: "Important facts worth remembering across conversations.", new_text: `Important facts worth remembering across conversations.\n${fact(w)}` } }] },
          { content: "Added one fact." },
        ],
      }),
    });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await runDream(env, config, id, new MemoryMeta() as unknown as MetaStore);
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    if (result.version) changed++;
  }

  const report = {
    benchmark: "memory",
    contextBuild: {
      runs: RUNS,
      emptyMedianMs: round(median(emptyMs)),
      bigMedianMs: round(median(bigMs)),
      ratio: round(median(bigMs) / median(emptyMs)),
      target: "≤ 1.3× (10,000 history.jsonl entries + 50 KB MEMORY.md vs empty)",
      memoryBytes: memory.length,
      historyEntries: 10_000,
    },
    dream: {
      workspaces: WORKSPACES,
      versionsWritten: changed,
      cpuMsPerWorkspace: { p50: round(pct(cpu, 0.5)), p95: round(pct(cpu, 0.95)), max: round(Math.max(...cpu)) },
      wallMsPerWorkspace: { p50: round(pct(wall, 0.5)), p95: round(pct(wall, 0.95)), max: round(Math.max(...wall)) },
      limit: "each Dream runs in its own Durable Object alarm (30 s CPU default); scheduled() only pokes",
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await llm.close();
  await proxy.dispose();
}
