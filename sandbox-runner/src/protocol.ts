/**
 * The sandbox runner protocol, defined once: the runner validates requests with these schemas and the Worker
 * (src/sandbox/runner-client.ts) builds them from the same types. Pure (zod only, no node: imports), because the
 * Worker bundles this file too. README.md in this folder describes the routes.
 */
import { z } from "zod";

export const PROTOCOL_VERSION = 1;

/** Where the workspace appears inside the sandbox; the Worker's guard and file tools use the same path. */
export const SANDBOX_WORKSPACE = "/workspace";

const WORKSPACE_ID = /^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/;

export function validWorkspaceId(id: unknown): id is string {
  return typeof id === "string" && id.length <= 200 && WORKSPACE_ID.test(id) && !id.split("/").some((s) => s === "." || s === "..");
}

/** How the runner isolates commands on its host (`GET /health` → `isolation`). */
export const isolationModeSchema = z.enum(["bwrap", "user", "none"]);
export type IsolationMode = z.infer<typeof isolationModeSchema>;

/**
 * `tools.exec.sandbox`: what the Worker demands. "auto" = bubblewrap when the runner runs on a host, the
 * container when it runs in one; "none" = no sandbox, on purpose. The runner refuses a command it cannot
 * isolate as demanded (SANDBOX_REFUSED), so a broken sandbox never degrades silently.
 */
export const sandboxSettingSchema = z.enum(["auto", "bwrap", "container", "none"]);
export type SandboxSetting = z.infer<typeof sandboxSettingSchema>;
/** The sandbox a command actually runs in. */
export type SandboxInEffect = "bwrap" | "container" | "none";

export const runnerFileSchema = z.object({ path: z.string(), etag: z.string(), data: z.string().describe("base64") });
export type RunnerFile = z.infer<typeof runnerFileSchema>;

export const syncRequestSchema = z.object({
  /** The epoch the Worker's sync state belongs to; null when it has none (only accepted for a new working copy). */
  epoch: z.string().nullable(),
  put: z.array(runnerFileSchema).optional(),
  delete: z.array(z.string()).optional(),
  /** R2 etags of files this runner produced and the Worker has since uploaded. */
  ack: z.record(z.string(), z.string()).optional(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;
/** `POST /workspaces/<id>/sync` answer: the working copy's epoch (created by the first sync). */
export const syncResultSchema = z.object({ epoch: z.string() });

export const MAX_TIMEOUT_S = 3600;
export const DEFAULT_OUTPUT_BYTES = 256 * 1024;
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The runner's own settings never reach a command, whatever the Worker asks for.
const FORBIDDEN_ENV = /^(RUNNER_|LD_PRELOAD$|LD_LIBRARY_PATH$)/;

export const execRequestSchema = z.object({
  workspace: z.string().refine(validWorkspaceId, "workspace must be an id like 'main' or 'main/telegram-42'."),
  command: z.string().refine((c) => c.trim() !== "", "command must be a non-empty string."),
  /** Working directory relative to the workspace root; "" = the root. */
  cwd: z.string().default(""),
  timeoutS: z.number().gt(0).max(MAX_TIMEOUT_S, `timeoutS must be between 0 and ${MAX_TIMEOUT_S}.`).default(60),
  env: z
    .record(z.string(), z.string())
    .refine((env) => Object.keys(env).every((k) => ENV_KEY.test(k) && !FORBIDDEN_ENV.test(k)), "env must map variable names to strings (RUNNER_* and LD_* are not allowed).")
    .default({}),
  maxOutputBytes: z.number().int().min(1024).max(MAX_OUTPUT_BYTES).default(DEFAULT_OUTPUT_BYTES),
  sync: syncRequestSchema.optional(),
  /** The sandbox the Worker demands (tools.exec.sandbox); absent = "auto". */
  sandbox: sandboxSettingSchema.default("auto"),
  /** false = the command gets no network at all (bwrap --unshare-net: only its own loopback). */
  network: z.boolean().default(true),
});
/** What the Worker sends (defaults may be left out). */
export type ExecRequest = z.input<typeof execRequestSchema>;
/** What the runner works with after validation. */
export type ParsedExecRequest = z.output<typeof execRequestSchema>;

export const changeSetSchema = z.object({
  changed: z.array(z.object({ path: z.string(), size: z.number(), data: z.string() })),
  deleted: z.array(z.string()),
  skipped: z.array(z.object({ path: z.string(), size: z.number(), reason: z.string() })),
});
export type ChangeSet = z.infer<typeof changeSetSchema>;

export const execResultSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  aborted: z.boolean(),
  durationMs: z.number(),
  pid: z.number(),
  truncated: z.object({ stdout: z.number(), stderr: z.number() }),
  epoch: z.string().nullable(),
  changedFiles: changeSetSchema,
  /** The sandbox the command ran in. */
  sandbox: z.enum(["bwrap", "container", "none"]),
});
export type ExecResult = z.infer<typeof execResultSchema>;

export const manifestSchema = z.object({
  workspace: z.string(),
  epoch: z.string().nullable(),
  files: z.record(z.string(), z.object({ etag: z.string(), size: z.number(), local: z.boolean().optional() })),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const healthSchema = z.object({
  status: z.string(),
  protocol: z.number(),
  isolation: isolationModeSchema,
  /** The runner runs inside a container (RUNNER_CONTAINER=1: the Docker image, the Cloudflare Container). */
  container: z.boolean().default(false),
  workspaces: z.number(),
  running: z.number(),
});
export type Health = z.input<typeof healthSchema>;

/** Error bodies: `{error, message}`; 409 epoch_mismatch also carries the manifest. */
export const errorBodySchema = z.object({ error: z.string(), message: z.string().optional(), manifest: manifestSchema.optional() });

/** Status of a request the runner refuses because it cannot provide the demanded sandbox. */
export const SANDBOX_REFUSED_STATUS = 422;

const HOW_TO_FIX =
  "install bubblewrap where the runner runs (apt-get install bubblewrap) and allow unprivileged user " +
  "namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ also " +
  "kernel.apparmor_restrict_unprivileged_userns=0), then restart the runner (`npm start`) — or set " +
  'tools.exec.sandbox to "none" to run commands without a sandbox on purpose';

const CONTAINER_FIX =
  'deploy with `npx nanobot deploy` (or run the sandbox-runner Docker image), or use tools.exec.sandbox "auto" or "bwrap" for a runner on a host';

export type SandboxDecision = { sandbox: SandboxInEffect } | { refused: string; reason: string; fix: string };

/**
 * The sandbox a command runs in for a demand and a runner, or why it cannot run. One function for the runner
 * (which enforces it) and the Worker (/status, doctor), so both always tell the same story.
 */
export function sandboxFor(setting: SandboxSetting, runner: { isolation: IsolationMode; container: boolean }): SandboxDecision {
  if (setting === "none") return { sandbox: "none" };
  if (setting === "auto" && runner.container) return { sandbox: "container" };
  if (setting === "container") {
    if (runner.container) return { sandbox: "container" };
    return refusal('tools.exec.sandbox is "container" but the sandbox runner is not running in a container', CONTAINER_FIX);
  }
  if (runner.isolation === "bwrap") return { sandbox: "bwrap" };
  const why = runner.isolation === "user" ? "bubblewrap is not usable (the runner would only switch users)" : "bubblewrap is not usable and the runner is not root";
  return refusal(`no sandbox — ${why}, and tools.exec.sandbox is "${setting}"`, HOW_TO_FIX);
}

function refusal(reason: string, fix: string): SandboxDecision {
  return { refused: `exec refused: ${reason}. Fix: ${fix}. The command did not run.`, reason, fix };
}

/** Runs as the network-less sandbox demands it: only bubblewrap can cut a command off the network. */
export const NO_NETWORK_REFUSED =
  'exec refused: tools.exec.network is false, which needs the bubblewrap sandbox (tools.exec.sandbox "auto" or ' +
  '"bwrap" on a runner where bubblewrap works); in a container use tools.exec.containerInternet: false instead. ' +
  "The command did not run.";

/** First problem of a failed parse as one line: `<path>: <message>`. */
export function describeProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return issue.message.endsWith(".") && issue.code === "custom" ? issue.message : `${where}${issue.message}`;
}
