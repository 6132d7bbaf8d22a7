import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { createRunnerClient, type RunnerClient } from "./runner-client.ts";

/** Durable Object namespace of the sandbox container (wrangler.toml top level, `wrangler deploy`). */
interface ContainerNamespace {
  getByName(name: string): { fetch(request: Request): Promise<Response> };
}

/** Instance name of the one shared runner container; per-workspace directories keep users apart inside it. */
export const CONTAINER_INSTANCE = "runner";

/** Where the runner is and how to reach it: a base URL, the shared secret and the fetch that gets there. */
export interface RunnerEndpoint {
  url: string;
  secret: string;
  fetch: typeof fetch;
}

const MISSING_RUNNER =
  "exec needs a sandbox runner. Set tools.exec.runnerUrl and tools.exec.runnerSecret (or the Worker vars " +
  "SANDBOX_RUNNER_URL and SANDBOX_RUNNER_SECRET); `npm start` starts a local runner and sets them for you.";

/**
 * The runner a Worker talks to: `tools.exec.runnerUrl`/`runnerSecret`, else the Worker vars
 * `SANDBOX_RUNNER_URL`/`SANDBOX_RUNNER_SECRET` (what `npm start` sets), else the deployed container (binding
 * `SANDBOX_CONTAINER`, reached through its Durable Object). exec and stdio MCP servers share this answer.
 */
export function runnerEndpointFor(config: Config, env: Env, fetchImpl?: typeof fetch): RunnerEndpoint | { error: string } {
  const secret = config.tools.exec.runnerSecret || (typeof env.SANDBOX_RUNNER_SECRET === "string" ? env.SANDBOX_RUNNER_SECRET : "");
  const url = config.tools.exec.runnerUrl || (typeof env.SANDBOX_RUNNER_URL === "string" ? env.SANDBOX_RUNNER_URL : "");
  const container = env.SANDBOX_CONTAINER as ContainerNamespace | undefined;
  if (!secret || (!url && !container)) return { error: MISSING_RUNNER };
  // A wrapper, not the bare global: workerd throws "Illegal invocation" for a fetch called as a method.
  if (url) return { url, secret, fetch: fetchImpl ?? ((input, init) => fetch(input, init)) };
  const stub = container!.getByName(CONTAINER_INSTANCE);
  return { url: "http://sandbox-runner", secret, fetch: (input, init) => stub.fetch(new Request(input as RequestInfo, init)) };
}

export function runnerClientFor(config: Config, env: Env, fetchImpl?: typeof fetch): RunnerClient | { error: string } {
  const endpoint = runnerEndpointFor(config, env, fetchImpl);
  if ("error" in endpoint) return endpoint;
  return createRunnerClient(endpoint);
}
