import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { createRunnerClient, type RunnerClient } from "./runner-client.ts";

/** Durable Object namespace of the sandbox container (wrangler.toml top level, `wrangler deploy`). */
interface ContainerNamespace {
  getByName(name: string): { fetch(request: Request): Promise<Response> };
}

/** Instance name of the one shared runner container; per-workspace directories keep users apart inside it. */
export const CONTAINER_INSTANCE = "runner";

/**
 * The runner a Worker talks to: `tools.exec.runnerUrl`/`runnerSecret`, else the Worker vars
 * `SANDBOX_RUNNER_URL`/`SANDBOX_RUNNER_SECRET` (what `npm start` sets), else the deployed container (binding
 * `SANDBOX_CONTAINER`, reached through its Durable Object). Null when nothing is configured.
 */
export function runnerClientFor(config: Config, env: Env, fetchImpl?: typeof fetch): RunnerClient | { error: string } {
  const secret = config.tools.exec.runnerSecret || (typeof env.SANDBOX_RUNNER_SECRET === "string" ? env.SANDBOX_RUNNER_SECRET : "");
  const url = config.tools.exec.runnerUrl || (typeof env.SANDBOX_RUNNER_URL === "string" ? env.SANDBOX_RUNNER_URL : "");
  const container = env.SANDBOX_CONTAINER as ContainerNamespace | undefined;
  if (!secret || (!url && !container)) {
    return {
      error:
        "exec needs a sandbox runner. Set tools.exec.runnerUrl and tools.exec.runnerSecret (or the Worker vars " +
        "SANDBOX_RUNNER_URL and SANDBOX_RUNNER_SECRET); `npm start` starts a local runner and sets them for you.",
    };
  }
  if (url) return createRunnerClient({ url, secret, fetch: fetchImpl });
  const stub = container!.getByName(CONTAINER_INSTANCE);
  return createRunnerClient({
    url: "http://sandbox-runner",
    secret,
    fetch: (input, init) => stub.fetch(new Request(input as RequestInfo, init)),
  });
}
