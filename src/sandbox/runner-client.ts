/**
 * The Worker's side of the sandbox runner protocol (sandbox-runner/README.md): every request signed with
 * HMAC-SHA256 over method, path, timestamp, nonce and body, via Web Crypto.
 */

export interface RunnerFile {
  path: string;
  etag: string;
  /** base64 */
  data: string;
}

export interface RunnerSyncRequest {
  epoch: string | null;
  put?: RunnerFile[];
  delete?: string[];
  ack?: Record<string, string>;
}

export interface RunnerManifest {
  workspace: string;
  epoch: string | null;
  files: Record<string, { etag: string; size: number; local?: boolean }>;
}

export interface RunnerExecRequest {
  workspace: string;
  command: string;
  cwd?: string;
  timeoutS: number;
  env?: Record<string, string>;
  maxOutputBytes?: number;
  sync?: RunnerSyncRequest;
}

export interface RunnerChangeSet {
  changed: Array<{ path: string; size: number; data: string }>;
  deleted: string[];
  skipped: Array<{ path: string; size: number; reason: string }>;
}

export interface RunnerExecResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  epoch: string | null;
  changedFiles: RunnerChangeSet;
}

export interface RunnerHealth {
  status: string;
  protocol: number;
  isolation: "bwrap" | "user" | "none";
  workspaces: number;
  running: number;
}

/** The runner cannot be reached or failed; the message says what to check. */
export class RunnerUnavailableError extends Error {
  override name = "RunnerUnavailableError";
}

/** The runner refused the request (bad input, busy, auth); the message is the runner's. */
export class RunnerRequestError extends Error {
  override name = "RunnerRequestError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The runner's working copy is not the one our sync state describes (it restarted with an empty disk, …). */
export class RunnerEpochMismatchError extends Error {
  override name = "RunnerEpochMismatchError";
  constructor(readonly manifest: RunnerManifest) {
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

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function createRunnerClient(options: RunnerClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  let key: Promise<CryptoKey> | null = null;

  async function sign(method: string, pathAndQuery: string, body: Uint8Array): Promise<Record<string, string>> {
    key ??= crypto.subtle.importKey("raw", encoder.encode(options.secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const timestamp = String(Date.now());
    const nonce = crypto.randomUUID().replaceAll("-", "");
    const head = encoder.encode(`${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n`);
    const message = new Uint8Array(head.length + body.length);
    message.set(head);
    message.set(body, head.length);
    const signature = await crypto.subtle.sign("HMAC", await key, message);
    return { "x-runner-timestamp": timestamp, "x-runner-nonce": nonce, "x-runner-signature": hex(signature) };
  }

  async function request<T>(method: "GET" | "POST", pathAndQuery: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<T> {
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
    let payload: Record<string, unknown> = {};
    try {
      payload = answer ? JSON.parse(answer) : {};
    } catch {
      // not JSON: handled by the status checks below
    }
    if (response.ok) return payload as T;
    if (response.status === 409 && payload.manifest) throw new RunnerEpochMismatchError(payload.manifest as RunnerManifest);
    if (response.status === 401) {
      throw new RunnerRequestError(
        401,
        `the sandbox runner at ${base} rejected our signature: tools.exec.runnerSecret (or SANDBOX_RUNNER_SECRET) must equal the runner's RUNNER_SECRET, and both clocks must agree within 5 minutes.`,
      );
    }
    if (response.status >= 500) throw new RunnerUnavailableError(`the sandbox runner at ${base} failed (HTTP ${response.status}).`);
    const message = typeof payload.message === "string" ? payload.message : `HTTP ${response.status}`;
    throw new RunnerRequestError(response.status, message);
  }

  const workspacePath = (workspace: string, what: string) => `/workspaces/${encodeURIComponent(workspace)}/${what}`;

  return {
    url: base,
    health: (signal?: AbortSignal) => request<RunnerHealth>("GET", "/health", undefined, requestTimeoutMs, signal),
    manifest: (workspace: string, signal?: AbortSignal) =>
      request<RunnerManifest>("GET", workspacePath(workspace, "manifest"), undefined, requestTimeoutMs, signal),
    sync: (workspace: string, sync: RunnerSyncRequest, signal?: AbortSignal) =>
      request<{ epoch: string }>("POST", workspacePath(workspace, "sync"), sync, requestTimeoutMs, signal),
    /** Runs a command; the HTTP budget is the command's timeout plus time for the sync on both ends. */
    exec: (exec: RunnerExecRequest, signal?: AbortSignal) =>
      request<RunnerExecResult>("POST", "/exec", exec, exec.timeoutS * 1000 + requestTimeoutMs, signal),
  };
}

export type RunnerClient = ReturnType<typeof createRunnerClient>;
