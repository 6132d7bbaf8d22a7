/** Starts a real local gateway (`npm start`) for benchmarks and reads the CPU time of its workerd processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { descendants } from "../../tests/support/process-tree.ts";
import { cleanEnv, repoRoot } from "../../tests/support/run-cli.ts";
import { freePort } from "../../scripts/lib/net-wait.ts";

export interface BenchGateway {
  url: string;
  apiKey: string;
  /** CPU seconds (user + system) used so far by the gateway's workerd processes. */
  workerdCpuSeconds(): number;
  stop(): Promise<void>;
}


const TICKS_PER_SECOND = 100;

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
};

export async function startBenchGateway(config: object, apiKey = "bench-key"): Promise<BenchGateway> {
  const port = await freePort();
  const persist = mkdtempSync(path.join(os.tmpdir(), "nanobot-bench-"));
  const fullConfig = { ...config, api: { apiKey } };
  const child: ChildProcess = spawn(
    "npm",
    ["start", "--", "--port", String(port), "--persist-to", persist, "--var", `NANOBOT_CONFIG:${JSON.stringify(fullConfig)}`],
    { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const workerdPids = () => descendants(child.pid!).filter((pid) => commandOf(pid).includes("workerd"));
  return {
    url,
    apiKey,
    workerdCpuSeconds: () => workerdPids().reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    async stop() {
      try {
        process.kill(-child.pid!, "SIGINT");
      } catch {}
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, "SIGKILL");
          } catch {}
          resolve();
        }, 8000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** One chat turn through the API; returns the client-side latency in ms. */
export async function chatTurn(gateway: BenchGateway, sessionId: string | null, text: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${gateway.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ ...(sessionId ? { session_id: sessionId } : {}), messages: [{ role: "user", content: text }] }),
  });
  await res.text();
  if (!res.ok) throw new Error(`turn failed: ${res.status}`);
  return performance.now() - started;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
