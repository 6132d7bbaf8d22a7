import { z } from "zod";
import type { Config } from "../../config/schema.ts";
import { RunnerRequestError, RunnerSandboxRefusedError, RunnerUnavailableError } from "../../sandbox/runner-client.ts";
import { runnerClientFor } from "../../sandbox/runner-settings.ts";
import { createSyncStateStore } from "../../sandbox/sync-state.ts";
import { execWithSync, type SyncLimits } from "../../sandbox/workspace-sync.ts";
import { guardCommand, resolveWorkingDir } from "./command-guard.ts";
import { formatExecResult } from "./format-output.ts";
import { defineTool, type ToolContext, type ToolDefinition } from "../types.ts";
import { ssrfOptionsFromConfig } from "../../security/ssrf-config.ts";
import { urlInTextRefusal } from "../../security/ssrf-guard.ts";

/** Per-call timeout cap (nanobot's); the config default may be higher or 0 (= the runner's maximum). */
export const MAX_EXEC_TIMEOUT_S = 600;
const RUNNER_MAX_TIMEOUT_S = 3600;

export interface ExecToolDeps {
  /** Why a URL in a command is refused, or null; default: src/security's SSRF guard without DNS. */
  checkUrl?: (url: string, ctx: ToolContext) => Promise<string | null>;
  /** fetch used to reach the runner (tests, service bindings). */
  fetch?: typeof fetch;
  limits?: SyncLimits;
  /** tools.exec.sandbox is "none": the description must not promise a sandbox the command will not get. */
  unsandboxed?: boolean;
}

const parameters = z.object({
  command: z.string().min(1).describe("The shell command to run (bash)."),
  working_dir: z.string().optional().describe("Directory to run in, relative to the workspace (default: the workspace root)."),
  timeout: z.number().int().min(1).max(MAX_EXEC_TIMEOUT_S).optional().describe("Seconds before the command is killed (default 60, max 600)."),
});

function allowedEnv(ctx: ToolContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ctx.config.tools.exec.allowedEnvKeys) {
    const value = ctx.env[key];
    if (typeof value === "string") env[key] = value;
  }
  return env;
}

const SANDBOXED =
  "Run a shell command in a sandbox. The workspace is mounted at /workspace and is the working directory; " +
  "files created or changed there are saved to the workspace.";
// Without bubblewrap the runner starts bash in the workspace's working copy on its own host (sandbox-runner/src/run-command.ts).
const UNSANDBOXED =
  'Run a shell command with NO sandbox (tools.exec.sandbox is "none"): it runs directly on the runner\'s host with ' +
  "the runner's rights, so it can read and change files outside the workspace and reach whatever that host reaches. " +
  "It starts in a working copy of the workspace (not /workspace); files created or changed there are saved to the workspace.";
const COMMON =
  " Use relative paths. Returns stdout, a STDERR block and the exit code. No interactive input; long-running servers " +
  "are stopped when the command ends.";

/** The `exec` tool: guard in the Worker, run on the sandbox runner with the workspace synced both ways. */
export function createExecTool(deps: ExecToolDeps = {}): ToolDefinition<typeof parameters> {
  return defineTool({
    name: "exec",
    description: (deps.unsandboxed ? UNSANDBOXED : SANDBOXED) + COMMON,
    parameters,
    async execute(args, ctx) {
      const exec = ctx.config.tools.exec;
      if (!exec.enable) return "Error: exec is disabled (tools.exec.enable is false).";
      const workingDir = resolveWorkingDir(args.working_dir);
      if (!workingDir.ok) return workingDir.error;
      const refusal = await guardCommand(args.command, {
        restrictToWorkspace: ctx.config.tools.restrictToWorkspace,
        allowPatterns: exec.allowPatterns,
        denyPatterns: exec.denyPatterns,
        checkUrl: deps.checkUrl ? (url) => deps.checkUrl!(url, ctx) : undefined,
        cwd: workingDir.absolute,
      });
      if (refusal) return refusal;

      const client = runnerClientFor(ctx.config, ctx.env, { fetch: deps.fetch, workspaceId: ctx.workspace.id });
      if ("error" in client) return `Error: ${client.error}`;
      const timeoutS = args.timeout ?? Math.min(exec.timeout || RUNNER_MAX_TIMEOUT_S, RUNNER_MAX_TIMEOUT_S);
      const started = Date.now();
      try {
        const result = await execWithSync({
          bucket: ctx.env.WORKSPACE,
          state: createSyncStateStore(ctx.env.DB),
          client,
          workspaceId: ctx.workspace.id,
          request: { command: args.command, cwd: workingDir.relative, timeoutS, env: allowedEnv(ctx), sandbox: exec.sandbox, network: exec.network },
          signal: ctx.signal,
          limits: deps.limits,
        });
        console.log(
          JSON.stringify({
            event: "exec",
            session: ctx.sessionKey,
            ms: Date.now() - started,
            runnerMs: result.durationMs,
            sandbox: result.sandbox,
            exitCode: result.exitCode,
            timedOut: result.timedOut,
            pushed: result.sync.pushed,
            pulled: result.sync.pulled,
            resynced: result.sync.resynced,
          }),
        );
        return formatExecResult(result, timeoutS);
      } catch (err) {
        // The runner cannot provide the sandbox tools.exec.sandbox demands: its message says how to fix that.
        if (err instanceof RunnerSandboxRefusedError) return `Error: ${err.message}`;
        if (err instanceof RunnerUnavailableError) return `Error: ${err.message} The command did not run.`;
        if (err instanceof RunnerRequestError) return `Error: the sandbox runner refused the command: ${err.message}`;
        throw err;
      }
    },
  });
}

/**
 * http(s) URLs written in a command pass the same SSRF guard as web_fetch (literal forms, DNS answers,
 * whitelist). Only those: what a command builds at run time is not seen (README, "What exec's URL check sees").
 */
const checkUrl: ExecToolDeps["checkUrl"] = (url, ctx) => urlInTextRefusal(url, ssrfOptionsFromConfig(ctx.config, ctx.env, ctx.signal));
export const execTool = createExecTool({ checkUrl });
/** The same tool, described truthfully for tools.exec.sandbox "none" (one definition each: schemas are cached per definition). */
export const unsandboxedExecTool = createExecTool({ checkUrl, unsandboxed: true });

/** The exec definition the model is offered under this config. */
export const execToolFor = (config: Config): ToolDefinition => (config.tools.exec.sandbox === "none" ? unsandboxedExecTool : execTool);
