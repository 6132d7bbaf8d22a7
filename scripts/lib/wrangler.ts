import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { suitableNode } from "../check-node.mjs";
import { projectRoot } from "./project-root.ts";

export interface NodeCommand {
  command: string;
  args: string[];
}

/**
 * A Node binary for wrangler (it refuses to start below 22.12). This process already runs TypeScript, so it is
 * nearly always new enough; suitableNode() (scripts/check-node.mjs) falls back to the pinned Node npm installed for
 * this platform, and otherwise names the version found and the one needed.
 */
export function nodeForWrangler(): string {
  const found = suitableNode();
  if (found.problem === null) return found.node;
  throw new Error(found.problem);
}

/** Path of wrangler's JS entry point, resolved from the project's own node_modules. */
export function wranglerEntry(): string {
  const require = createRequire(path.join(projectRoot, "package.json"));
  try {
    return path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
  } catch {
    throw new Error("wrangler is not installed in this project. Run `npm ci` in the project folder first.");
  }
}

/** The command line that runs `wrangler <args>` on a suitable Node. */
export function wranglerCommand(args: string[]): NodeCommand {
  return { command: nodeForWrangler(), args: [wranglerEntry(), ...args] };
}

/**
 * Environment for every wrangler run. No telemetry (it writes ~/.config/.wrangler/metrics.json otherwise). No
 * `Request.cf` download: miniflare fetches it from workers.cloudflare.com on every start and, offline, prints an
 * ENOTFOUND stack before falling back to a placeholder; the Worker reads nothing from `request.cf`, so the
 * placeholder is all it needs. CLOUDFLARE_CF_FETCH_ENABLED is miniflare's own switch; set it to "true" to fetch.
 */
export function wranglerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
    WRANGLER_SEND_METRICS: "false",
    ...extra,
  };
}

/** Starts wrangler as a child process in the project folder. */
export function spawnWrangler(args: string[], options: SpawnOptions = {}): ChildProcess {
  const { command, args: argv } = wranglerCommand(args);
  return spawn(command, argv, { cwd: projectRoot, env: wranglerEnv(), ...options });
}

export interface CapturedRun {
  code: number;
  output: string;
}

/** Runs wrangler to completion, capturing stdout and stderr together (shown only when it fails). */
export function runWranglerCaptured(args: string[]): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}
