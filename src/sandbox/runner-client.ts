/**
 * The Worker's side of the sandbox runner protocol (sandbox-runner/README.md): every request signed with
 * HMAC-SHA256 over method, path, timestamp, nonce and body, via Web Crypto. Request and answer shapes come from
 * the runner's own zod module (sandbox-runner/src/protocol.ts), so both sides read one definition; answers are
 * checked against it.
 */
import type { z } from "zod";
import {
  errorBodySchema,
  execResultSchema,
  healthSchema,
  manifestSchema,
  SANDBOX_REFUSED_STATUS,
  syncResultSchema,
  type ExecRequest,
  type Manifest,
  type SyncRequest,
} from "../../sandbox-runner/src/protocol.ts";
import { runnerSigner } from "./runner-signature.ts";

export type {
  ChangeSet as RunnerChangeSet,
  ExecRequest as RunnerExecRequest,
  ExecResult as RunnerExecResult,
  Health as RunnerHealth,
  Manifest as RunnerManifest,
  RunnerFile,
  SyncRequest as RunnerSyncRequest,
} from "../../sandbox-runner/src/protocol.ts";

/** The runner cannot be reached or failed; the message says what to check. */
export class RunnerUnavailableError extends Error {
  override name = "RunnerUnavailableError";
}

/** The runner refused the request (bad input, busy, auth, no sandbox); the message is the runner's. */
export class RunnerRequestError extends Error {
  override name = "RunnerRequestError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The runner cannot isolate the command as tools.exec.sandbox demands; nothing ran. The message says how to fix it. */
export class RunnerSandboxRefusedError extends Error {
  override name = "RunnerSandboxRefusedError";
}

/** The runner's working copy is not the one our sync state describes (it restarted with an empty disk, …). */
export class RunnerEpochMismatchError extends Error {
  override name = "RunnerEpochMismatchError";
  constructor(readonly manifest: Manifest) {
    super("The sandbox runner holds a different copy of the workspace; resync needed.");
  }
}

export interface RunnerClientOptions {
  url: string;
  secret: string;
  fetch?: typeof fetch;
  /** Budget for requests that run no command (health, manifest, sync). */
  requestTimeoutMs?: number;
}

const encoder = new TextEncoder();

export function createRunnerClient(options: RunnerClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const sign = runnerSigner(options.secret);

  async function request<S extends z.ZodType>(
    schema: S,
    method: "GET" | "POST",
    pathAndQuery: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<z.output<S>> {
    const text = body === undefined ? "" : JSON.stringify(body);
    const bytes = encoder.encode(text);
    const headers = { "content-type": "application/json", ...(await sign(method, pathAndQuery, bytes)) };
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
    let response: Response;
    try {
      response = await doFetch(`${base}${pathAndQuery}`, {
        method,
        headers,
        body: method === "GET" ? undefined : text,
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      if (signal?.aborted) throw signal.reason ?? err;
      const timedOut = (err as Error)?.name === "TimeoutError";
      throw new RunnerUnavailableError(
        timedOut
          ? `the sandbox runner at ${base} did not answer within ${Math.round(timeoutMs / 1000)} s.`
          : `the sandbox runner at ${base} is not reachable (${(err as Error)?.message ?? String(err)}). ` +
              "Start it (`npm start` runs a local one) or fix tools.exec.runnerUrl / SANDBOX_RUNNER_URL.",
      );
    }
    const answer = await response.text();
    let json: unknown = {};
    try {
      json = answer ? JSON.parse(answer) : {};
    } catch {
      // not JSON: handled by the checks below
    }
    if (response.ok) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      throw new RunnerUnavailableError(
        `the sandbox runner at ${base} answered ${pathAndQuery.split("?")[0]} in a shape this Worker does not know (${parsed.error.issues[0]?.path.join(".") || "body"}); run the runner from the same version of nanobot-edge.`,
      );
    }
    const payload = errorBodySchema.partial().safeParse(json).data ?? {};
    if (response.status === 409 && payload.manifest) throw new RunnerEpochMismatchError(payload.manifest);
    if (response.status === 401) {
      throw new RunnerRequestError(
        401,
        `the sandbox runner at ${base} rejected our signature: tools.exec.runnerSecret (or SANDBOX_RUNNER_SECRET) must equal the runner's RUNNER_SECRET, and both clocks must agree within 5 minutes.`,
      );
    }
    if (response.status >= 500) throw new RunnerUnavailableError(`the sandbox runner at ${base} failed (HTTP ${response.status}).`);
    const message = payload.message ?? `HTTP ${response.status}`;
    if (response.status === SANDBOX_REFUSED_STATUS) throw new RunnerSandboxRefusedError(message);
    throw new RunnerRequestError(response.status, message);
  }

  const workspacePath = (workspace: string, what: string) => `/workspaces/${encodeURIComponent(workspace)}/${what}`;

  return {
    url: base,
    health: (signal?: AbortSignal) => request(healthSchema, "GET", "/health", undefined, requestTimeoutMs, signal),
    manifest: (workspace: string, signal?: AbortSignal) =>
      request(manifestSchema, "GET", workspacePath(workspace, "manifest"), undefined, requestTimeoutMs, signal),
    sync: (workspace: string, sync: SyncRequest, signal?: AbortSignal) =>
      request(syncResultSchema, "POST", workspacePath(workspace, "sync"), sync, requestTimeoutMs, signal),
    /** Runs a command; the HTTP budget is the command's timeout plus time for the sync on both ends. */
    exec: (exec: ExecRequest, signal?: AbortSignal) =>
      request(execResultSchema, "POST", "/exec", exec, (exec.timeoutS ?? 60) * 1000 + requestTimeoutMs, signal),
  };
}

export type RunnerClient = ReturnType<typeof createRunnerClient>;
