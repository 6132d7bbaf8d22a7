import { spawn } from "node:child_process";
import path from "node:path";
import { bwrapArgs, SANDBOX_WORKSPACE, type IsolationMode } from "./isolation.ts";
import { killTree } from "./kill-tree.ts";
import { HeadTailBuffer } from "./output-buffer.ts";

export interface RunSpec {
  mode: IsolationMode;
  /** Host directory of the workspace working copy. */
  workspaceDir: string;
  /** Working directory relative to the workspace ("" = its root); already validated. */
  cwd: string;
  command: string;
  timeoutMs: number;
  /** Extra variables (allow-listed by the caller); the base environment is minimal on purpose. */
  env: Record<string, string>;
  maxOutputBytes: number;
  /** Owner of the workspace in `user` mode. */
  uid?: number;
  /** bwrap mode: the bubblewrap binary, and whether the command shares the host's network. */
  bwrapPath?: string;
  network?: boolean;
  signal: AbortSignal;
}

export interface RunOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** Host pid of the process-group leader (bwrap or bash); gone when the outcome is returned. */
  pid: number;
  truncated: { stdout: number; stderr: number };
}

// After the main process exits, its stdout may still be held by a background child we are about to kill.
const CLOSE_GRACE_MS = 2000;

function baseEnv(home: string): Record<string, string> {
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: home,
    WORKSPACE: home,
    LANG: "C.UTF-8",
    TERM: "dumb",
    PYTHONUNBUFFERED: "1",
  };
}

function commandLine(spec: RunSpec): { file: string; args: string[]; cwd: string; env: Record<string, string> } {
  if (spec.mode === "bwrap") {
    const env = { ...baseEnv(SANDBOX_WORKSPACE), ...spec.env };
    const inside = spec.cwd ? `${SANDBOX_WORKSPACE}/${spec.cwd}` : SANDBOX_WORKSPACE;
    return {
      file: spec.bwrapPath ?? "bwrap",
      args: [...bwrapArgs(spec.workspaceDir, inside, env, spec.network ?? true), "/bin/bash", "-c", spec.command],
      cwd: spec.workspaceDir,
      env: {},
    };
  }
  // Without a mount namespace other workspaces' files are only protected by ownership; keep new files private.
  const env = { ...baseEnv(spec.workspaceDir), ...spec.env };
  return { file: "/bin/bash", args: ["-c", `umask 077; ${spec.command}`], cwd: path.join(spec.workspaceDir, spec.cwd), env };
}

/** Runs one command in its own session/process group and always leaves no process of it behind. */
export function runCommand(spec: RunSpec): Promise<RunOutcome> {
  const started = performance.now();
  const line = commandLine(spec);
  const stdout = new HeadTailBuffer(spec.maxOutputBytes);
  const stderr = new HeadTailBuffer(spec.maxOutputBytes);
  const child = spawn(line.file, line.args, {
    cwd: line.cwd,
    env: line.env,
    detached: true, // setsid(): a new session and process group we can kill as a whole
    stdio: ["ignore", "pipe", "pipe"],
    ...(spec.mode === "user" && spec.uid !== undefined ? { uid: spec.uid, gid: spec.uid } : {}),
  });
  const pid = child.pid ?? -1;
  let timedOut = false;
  let aborted = false;
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

  const kill = () => {
    if (pid > 0) killTree(pid);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, spec.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  spec.signal.addEventListener("abort", onAbort, { once: true });

  return new Promise((resolve) => {
    let exit: { code: number | null; signal: string | null } | null = null;
    let graceTimer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      spec.signal.removeEventListener("abort", onAbort);
      kill(); // background children of a finished command do not outlive it
      resolve({
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        aborted,
        durationMs: Math.round(performance.now() - started),
        pid,
        truncated: { stdout: stdout.truncatedBytes, stderr: stderr.truncatedBytes },
      });
    };
    child.on("error", (err) => {
      stderr.push(Buffer.from(`runner: could not start the command: ${err.message}\n`));
      exit = { code: 127, signal: null };
      finish();
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      kill();
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, CLOSE_GRACE_MS);
    });
    child.on("close", (code, signal) => {
      exit ??= { code, signal };
      finish();
    });
  });
}
