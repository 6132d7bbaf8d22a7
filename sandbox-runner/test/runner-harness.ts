import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { signRequest } from "../src/auth.ts";
import { loadConfig, type RunnerConfig } from "../src/config.ts";
import { startRunner, type RunningRunner } from "../src/server.ts";

process.env.RUNNER_LOG ??= "off";

export interface TestRunner extends RunningRunner {
  root: string;
  secret: string;
  /** A correctly signed request; `headers` override the signature headers. */
  call(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  signedHeaders(method: string, pathAndQuery: string, body: string, timestamp?: number): Record<string, string>;
  dispose(): Promise<void>;
}

/** Starts a runner on a free loopback port with a fresh data directory (or `root` to reuse one). */
export async function startTestRunner(overrides: Partial<RunnerConfig> & { root?: string } = {}): Promise<TestRunner> {
  const secret = randomBytes(24).toString("hex");
  const root = overrides.root ?? mkdtempSync(path.join(os.tmpdir(), "runner-test-"));
  const config = { ...loadConfig({ RUNNER_SECRET: secret, RUNNER_PORT: "0", RUNNER_ROOT: root }), ...overrides, root };
  const runner = await startRunner(config);
  const signedHeaders = (method: string, pathAndQuery: string, body: string, timestamp = Date.now()) => {
    const nonce = randomBytes(16).toString("hex");
    const ts = String(timestamp);
    return {
      "x-runner-timestamp": ts,
      "x-runner-nonce": nonce,
      "x-runner-signature": signRequest(secret, method, pathAndQuery, ts, nonce, Buffer.from(body)),
    };
  };
  return {
    ...runner,
    root,
    secret,
    signedHeaders,
    call(method, pathAndQuery, body, headers) {
      const text = body === undefined ? "" : JSON.stringify(body);
      return fetch(runner.url + pathAndQuery, {
        method,
        headers: { "content-type": "application/json", ...signedHeaders(method, pathAndQuery, text), ...headers },
        body: method === "GET" ? undefined : text,
      });
    },
    async dispose() {
      await runner.close();
      if (!overrides.root) rmSync(root, { recursive: true, force: true });
    },
  };
}

export const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");

/** Pids whose command line contains `marker` (every process on the host, so sandboxed ones too). */
export async function processesWith(marker: string): Promise<number[]> {
  const { readdirSync, readFileSync } = await import("node:fs");
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found;
}
