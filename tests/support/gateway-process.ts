/** Starts the real `npm start` gateway on a free port for Node-side tests and benchmarks, and stops it fully. */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/lib/net-wait.ts";
import { descendants, isAlive } from "./process-tree.ts";
import { cleanEnv, repoRoot } from "./run-cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export interface GatewayOptions {
  /** Project folder to run `npm start` in (a createTempProject() copy); default this checkout. */
  cwd?: string;
  /** /health statuses that count as "up": 200 by default; a test of an invalid config waits for 503. */
  readyStatuses?: number[];
}

export async function startGatewayProcess(persistDir: string, config: object, timeoutMs = 120_000, options: GatewayOptions = {}): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const readyStatuses = options.readyStatuses ?? [200];
  const child = spawn("npm", ["start", "--", "--port", String(port), "--persist-to", persistDir, "--var", `NANOBOT_CONFIG:${JSON.stringify(config)}`], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // own process group: stop() signals the whole tree
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  let pids: number[] = [];
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGINT");
      } catch {
        // already gone
      }
      await Promise.race([exited, sleep(15_000)]);
    }
    for (const pid of [child.pid!, ...pids].filter(isAlive)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if (readyStatuses.includes((await fetch(`${url}/health`)).status)) {
        pids = descendants(child.pid!);
        return { url, child, output: () => output, stop };
      }
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  await stop();
  throw new Error(`gateway never became healthy at ${url}. Output:\n${output}`);
}
