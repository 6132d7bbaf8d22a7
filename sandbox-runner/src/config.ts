import path from "node:path";

export interface RunnerConfig {
  port: number;
  host: string;
  secret: string;
  /** Data directory: per-workspace working copies and their sync manifests. Disposable. */
  root: string;
  /** Forces an isolation mode; otherwise the best available one is detected at start. */
  isolation?: "bwrap" | "user" | "none";
  /** The bubblewrap binary (RUNNER_BWRAP): a name looked up in PATH or an absolute path. */
  bwrapPath: string;
  /** Declared by the image (RUNNER_CONTAINER=1): the runner runs inside a container, which is itself a sandbox. */
  container: boolean;
  /** First uid handed to workspaces in `user` mode (one uid per workspace). */
  sandboxUidBase: number;
  maxConcurrentPerWorkspace: number;
  maxQueuedPerWorkspace: number;
  maxBodyBytes: number;
  /** Files larger than this are neither pushed to nor pulled from the runner. */
  maxFileBytes: number;
  /** Cap on the file bytes returned by one exec (the rest stays local and is reported as skipped). */
  maxPullBytes: number;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'.`);
  return value;
}

/** Reads the runner's settings from environment variables; misconfiguration fails at start with what to set. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const secret = env.RUNNER_SECRET ?? "";
  if (secret.length < 16) {
    throw new Error("RUNNER_SECRET must be set to a shared secret of at least 16 characters (the Worker's tools.exec.runnerSecret).");
  }
  const isolation = env.RUNNER_ISOLATION || undefined;
  if (isolation && !["bwrap", "user", "none"].includes(isolation)) {
    throw new Error(`RUNNER_ISOLATION must be bwrap, user or none, got '${isolation}'.`);
  }
  return {
    port: intVar(env, "RUNNER_PORT", 8788),
    host: env.RUNNER_HOST || "127.0.0.1",
    secret,
    root: path.resolve(env.RUNNER_ROOT || path.join(process.cwd(), ".runner-data")),
    isolation: isolation as RunnerConfig["isolation"],
    bwrapPath: env.RUNNER_BWRAP || "bwrap",
    container: env.RUNNER_CONTAINER === "1" || env.RUNNER_CONTAINER === "true",
    sandboxUidBase: intVar(env, "RUNNER_SANDBOX_UID_BASE", 100_000),
    maxConcurrentPerWorkspace: Math.max(1, intVar(env, "RUNNER_MAX_CONCURRENCY_PER_WORKSPACE", 1)),
    maxQueuedPerWorkspace: intVar(env, "RUNNER_MAX_QUEUE_PER_WORKSPACE", 8),
    maxBodyBytes: intVar(env, "RUNNER_MAX_BODY_BYTES", 64 * 1024 * 1024),
    maxFileBytes: intVar(env, "RUNNER_MAX_FILE_BYTES", 8 * 1024 * 1024),
    maxPullBytes: intVar(env, "RUNNER_MAX_PULL_BYTES", 32 * 1024 * 1024),
  };
}
