import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { createRunnerClient, type RunnerClient } from "./runner-client.ts";

/** Durable Object namespace of the sandbox container (wrangler.toml top level, `wrangler deploy`). */
export interface ContainerNamespace {
  getByName(name: string): { fetch(request: Request): Promise<Response> };
}

/** Instance name of the one shared runner container with `agents.isolation: "agent"` (one workspace anyway). */
export const CONTAINER_INSTANCE = "runner";

/**
 * Which container instance runs a workspace's commands and stdio MCP servers. With `agents.isolation: "user"`
 * every workspace gets its own instance (its own processes, disk and CPU share), so one user's commands never
 * meet another's; otherwise the agent's single workspace shares one.
 */
export function containerInstanceFor(config: Config, workspaceId: string | undefined): string {
  return config.agents.isolation === "user" && workspaceId ? workspaceId : CONTAINER_INSTANCE;
}

/** Where the runner is and how to reach it: a base URL, the shared secret and the fetch that gets there. */
export interface RunnerEndpoint {
  url: string;
  secret: string;
  fetch: typeof fetch;
  /** The container instance this endpoint reaches (deployed), or undefined for a runner reached by URL. */
  instance?: string;
}

export interface RunnerEndpointOptions {
  /** The workspace the commands belong to: picks the container instance under `agents.isolation: "user"`. */
  workspaceId?: string;
  /** fetch used to reach a runner by URL (tests, service bindings). */
  fetch?: typeof fetch;
}

const MISSING_RUNNER =
  "exec needs a sandbox runner. Set tools.exec.runnerUrl and tools.exec.runnerSecret (or the Worker vars " +
  "SANDBOX_RUNNER_URL and SANDBOX_RUNNER_SECRET); `npm start` starts a local runner and sets them for you.";

/**
 * The runner a Worker talks to: `tools.exec.runnerUrl`/`runnerSecret`, else the Worker vars
 * `SANDBOX_RUNNER_URL`/`SANDBOX_RUNNER_SECRET` (what `npm start` sets), else the deployed container (binding
 * `SANDBOX_CONTAINER`, reached through its Durable Object, one instance per containerInstanceFor). exec and
 * stdio MCP servers share this answer.
 */
export function runnerEndpointFor(config: Config, env: Env, options: RunnerEndpointOptions = {}): RunnerEndpoint | { error: string } {
  const secret = config.tools.exec.runnerSecret || (typeof env.SANDBOX_RUNNER_SECRET === "string" ? env.SANDBOX_RUNNER_SECRET : "");
  const url = config.tools.exec.runnerUrl || (typeof env.SANDBOX_RUNNER_URL === "string" ? env.SANDBOX_RUNNER_URL : "");
  const container = env.SANDBOX_CONTAINER as ContainerNamespace | undefined;
  if (!secret || (!url && !container)) return { error: MISSING_RUNNER };
  // A wrapper, not the bare global: workerd throws "Illegal invocation" for a fetch called as a method.
  if (url) return { url, secret, fetch: options.fetch ?? ((input, init) => fetch(input, init)) };
  const instance = containerInstanceFor(config, options.workspaceId);
  const stub = container!.getByName(instance);
  return { url: "http://sandbox-runner", secret, instance, fetch: (input, init) => stub.fetch(new Request(input as RequestInfo, init)) };
}

export function runnerClientFor(config: Config, env: Env, options: RunnerEndpointOptions = {}): RunnerClient | { error: string } {
  const endpoint = runnerEndpointFor(config, env, options);
  if ("error" in endpoint) return endpoint;
  return createRunnerClient(endpoint);
}
