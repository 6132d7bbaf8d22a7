import { lstatSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createAuthenticator } from "./auth.ts";
import type { RunnerConfig } from "./config.ts";
import { parseExecRequest, parseSync } from "./exec-request.ts";
import { BodyTooLargeError, log, readBody, sendJson } from "./http-util.ts";
import { detectIsolation } from "./isolation.ts";
import { BusyError, createWorkspaceLimiter } from "./limiter.ts";
import { createStdioBridges } from "./mcp/stdio-bridges.ts";
import { runCommand } from "./run-command.ts";
import { PROTOCOL_VERSION, SANDBOX_REFUSED_STATUS, type IsolationMode } from "./protocol.ts";
import { modeFor, SandboxRefusedError } from "./sandbox-mode.ts";
import { BadRequestError, createWorkspaceStore, EpochMismatchError, validWorkspaceId } from "./workspace-store.ts";

export { PROTOCOL_VERSION } from "./protocol.ts";

export interface RunningRunner {
  url: string;
  isolation: IsolationMode;
  server: http.Server;
  close(): Promise<void>;
}

const WORKSPACE_ROUTE = /^\/workspaces\/([^/]+)\/(manifest|sync)$/;
const MCP_STDIO_ROUTE = /^\/mcp\/stdio\/([^/]+)$/;
/** stdio MCP servers idle longer than this are stopped; the Worker reconnects (and restarts one) on demand. */
const MCP_IDLE_MS = 10 * 60_000;
const MAX_MCP_PROCESSES = 32;

/** True when `cwd` is a real directory inside the working copy (no symlink on the way). */
function cwdExists(dir: string, cwd: string): boolean {
  let current = dir;
  for (const segment of cwd ? cwd.split("/") : []) {
    current = path.join(current, segment);
    try {
      if (!lstatSync(current).isDirectory()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Starts the runner's HTTP server; resolves once it listens. */
export async function startRunner(config: RunnerConfig): Promise<RunningRunner> {
  const isolation = detectIsolation(config.isolation, config.bwrapPath);
  const store = createWorkspaceStore(config, isolation);
  const limiter = createWorkspaceLimiter(config.maxConcurrentPerWorkspace, config.maxQueuedPerWorkspace);
  const auth = createAuthenticator(config.secret);
  // stdio MCP servers run in the same sandbox as commands; without bwrap, as root, under a uid no workspace has.
  const mcp = createStdioBridges({
    root: config.root,
    isolation,
    container: config.container,
    bwrapPath: config.bwrapPath,
    uid: process.getuid?.() === 0 ? config.sandboxUidBase - 1 : undefined,
    idleMs: MCP_IDLE_MS,
    maxBridges: MAX_MCP_PROCESSES,
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const rawPath = req.url ?? "/";
    const pathname = rawPath.split("?")[0];
    const method = req.method ?? "GET";
    // Liveness for the container platform: says nothing but "listening".
    if (method === "GET" && pathname === "/livez") return sendJson(res, 200, { status: "ok" });

    const body = await readBody(req, config.maxBodyBytes);
    const verdict = auth.verify(method, rawPath, req.headers, body);
    if (!verdict.ok) {
      log("runner_auth_rejected", { path: pathname, reason: verdict.reason });
      return sendJson(res, 401, { error: "unauthorized", reason: verdict.reason });
    }
    const json = () => {
      try {
        return body.length ? JSON.parse(body.toString("utf8")) : {};
      } catch {
        throw new BadRequestError("Body is not valid JSON.");
      }
    };

    if (method === "GET" && pathname === "/health") {
      return sendJson(res, 200, {
        status: "ok",
        protocol: PROTOCOL_VERSION,
        isolation,
        container: config.container,
        workspaces: store.count(),
        running: limiter.running(),
        mcpServers: mcp.count(),
        limits: {
          maxConcurrentPerWorkspace: config.maxConcurrentPerWorkspace,
          maxFileBytes: config.maxFileBytes,
          maxPullBytes: config.maxPullBytes,
          maxBodyBytes: config.maxBodyBytes,
        },
      });
    }

    const workspaceRoute = WORKSPACE_ROUTE.exec(pathname);
    if (workspaceRoute) {
      const id = decodeURIComponent(workspaceRoute[1]);
      if (!validWorkspaceId(id)) throw new BadRequestError("Invalid workspace id.");
      if (method === "GET" && workspaceRoute[2] === "manifest") return sendJson(res, 200, store.manifest(id));
      if (method === "POST" && workspaceRoute[2] === "sync") {
        const sync = parseSync(json());
        const epoch = await limiter.run(id, async () => store.applySync(id, sync));
        return sendJson(res, 200, { epoch });
      }
    }

    const mcpRoute = MCP_STDIO_ROUTE.exec(pathname);
    if (mcpRoute) return mcp.handle(req, res, decodeURIComponent(mcpRoute[1]), new URL(rawPath, "http://runner").searchParams, body);

    if (method === "POST" && pathname === "/exec") {
      const request = parseExecRequest(json());
      const { mode, sandbox } = modeFor(request, { isolation, container: config.container });
      const abort = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) abort.abort();
      });
      const result = await limiter.run(request.workspace, async () => {
        const epoch = request.sync ? store.applySync(request.workspace, request.sync) : (store.manifest(request.workspace).epoch ?? null);
        const dir = store.ensureDir(request.workspace);
        if (!cwdExists(dir, request.cwd)) throw new BadRequestError(`working_dir '${request.cwd}' does not exist in the workspace.`);
        const outcome = await runCommand({
          mode,
          bwrapPath: config.bwrapPath,
          network: request.network,
          workspaceDir: dir,
          cwd: request.cwd,
          command: request.command,
          timeoutMs: request.timeoutMs,
          env: request.env,
          maxOutputBytes: request.maxOutputBytes,
          uid: store.uidOf(request.workspace),
          signal: abort.signal,
        });
        // The diff needs a manifest: a command run without any sync has nothing to compare against.
        const changedFiles = epoch ? store.collectChanges(request.workspace) : { changed: [], deleted: [], skipped: [] };
        return { ...outcome, epoch, changedFiles, sandbox };
      });
      log("runner_exec", {
        workspace: request.workspace,
        sandbox,
        ms: result.durationMs,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        aborted: result.aborted,
        changed: result.changedFiles.changed.length,
        deleted: result.changedFiles.deleted.length,
      });
      return sendJson(res, 200, result);
    }
    return sendJson(res, 404, { error: `No route for ${method} ${pathname}` });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return;
      if (err instanceof EpochMismatchError) return sendJson(res, 409, { error: "epoch_mismatch", message: err.message, manifest: err.manifest });
      if (err instanceof SandboxRefusedError) return sendJson(res, SANDBOX_REFUSED_STATUS, { error: "sandbox_unavailable", message: err.message });
      if (err instanceof BadRequestError) return sendJson(res, 400, { error: "bad_request", message: err.message });
      if (err instanceof BodyTooLargeError) return sendJson(res, 413, { error: "too_large", message: err.message });
      if (err instanceof BusyError) return sendJson(res, 429, { error: "busy", message: err.message });
      log("runner_error", { error: String((err as Error)?.message ?? err).slice(0, 300) });
      sendJson(res, 500, { error: "internal", message: "The runner failed; see its log." });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  log("runner_started", { url: `http://${host}:${address.port}`, isolation, container: config.container, root: config.root });
  return {
    url: `http://${host}:${address.port}`,
    isolation,
    server,
    // Idle keep-alive connections go at once; a request still running gets a moment to finish.
    close: () =>
      new Promise<void>((resolve) => {
        mcp.closeAll();
        const force = setTimeout(() => server.closeAllConnections(), 1000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
