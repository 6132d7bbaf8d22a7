/** Runs the CLI (`bin/nanobot.mjs`) as a child process on the Node running the tests (the project's Node 24). */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const cliEntry = path.join(repoRoot, "bin", "nanobot.mjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves once stdout contains `text` (rejects if the CLI exits first). */
  waitForStdout(text: string): Promise<void>;
  done: Promise<CliResult>;
}

/** Environment without the caller's nanobot settings, so a developer's NANOBOT_* never leaks into a test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("NANOBOT_") || key === "FORCE_COLOR" || key === "NO_COLOR") delete env[key];
  return { ...env, ...extra };
}

export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {}): CliRun {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? cleanEnv(),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: Array<{ text: string; resolve: () => void }> = [];
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    for (const w of watchers.filter((w) => stdout.includes(w.text))) w.resolve();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  if (options.stdin !== undefined) child.stdin.end(options.stdin);
  const done = new Promise<CliResult>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    done,
    waitForStdout: (text) =>
      new Promise<void>((resolve, reject) => {
        if (stdout.includes(text)) return resolve();
        watchers.push({ text, resolve });
        void done.then(() => reject(new Error(`CLI exited before printing "${text}". stdout: ${stdout} stderr: ${stderr}`)));
      }),
  };
}

export const runCli = (args: string[], options: Parameters<typeof startCli>[1] = {}): Promise<CliResult> => startCli(args, options).done;
