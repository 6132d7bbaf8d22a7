import { randomUUID } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest, isJSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import { log, sendJson } from "../http-util.ts";
import { SANDBOX_REFUSED_STATUS, sandboxSettingSchema, type IsolationMode } from "../protocol.ts";
import { modeFor, SandboxRefusedError } from "../sandbox-mode.ts";
import { findProgram, launchFor } from "./sandboxed-launch.ts";
import { StdioProcessTransport, type StdioSpec } from "./stdio-process.ts";

export interface StdioBridgeOptions {
  /** Runner data directory; each server gets `<root>/mcp/<server>` as its working directory and HOME. */
  root: string;
  /** The runner's isolation and whether it runs in a container: servers get the sandbox commands get. */
  isolation: IsolationMode;
  container: boolean;
  bwrapPath: string;
  /** uid the servers run as without bwrap when the runner is root (one uid apart from every workspace's). */
  uid?: number;
  idleMs: number;
  maxBridges: number;
}

interface Bridge {
  server: string;
  specKey: string;
  http: StreamableHTTPServerTransport;
  child: StdioProcessTransport;
  lastUsed: number;
}

const SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `spec` is base64url(JSON {command, args, env}) as src/mcp/stdio-bridge.ts in the Worker writes it. */
export function parseSpec(encoded: string | null): StdioSpec | string {
  if (!encoded) return "missing spec";
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return "spec is not base64url JSON";
  }
  const v = value as Partial<StdioSpec>;
  if (typeof v?.command !== "string" || !v.command) return "spec.command must be a non-empty string";
  const args = v.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) return "spec.args must be a list of strings";
  const env = v.env ?? {};
  if (typeof env !== "object" || Array.isArray(env) || Object.values(env).some((x) => typeof x !== "string")) return "spec.env must map names to strings";
  return { command: v.command, args, env };
}

const rpcError = (res: ServerResponse, status: number, code: number, message: string) =>
  sendJson(res, status, { jsonrpc: "2.0", error: { code, message }, id: null });

/**
 * stdio MCP servers behind MCP Streamable HTTP: one child process per MCP session, bridged message for
 * message. A session that idles past `idleMs`, is deleted by the client, or whose process exits is gone; the
 * Worker then gets 404 and reconnects, which starts a fresh process.
 */
export function createStdioBridges(options: StdioBridgeOptions) {
  const bridges = new Map<string, Bridge>();

  const drop = (id: string, reason: string) => {
    const bridge = bridges.get(id);
    if (!bridge) return;
    bridges.delete(id);
    log("mcp_stdio_closed", { server: bridge.server, reason });
    void bridge.child.close();
    void bridge.http.close();
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, bridge] of bridges) if (now - bridge.lastUsed > options.idleMs) drop(id, "idle");
  }, Math.min(options.idleMs, 60_000));
  sweep.unref();

  async function open(server: string, spec: StdioSpec, specKey: string, mode: IsolationMode, res: ServerResponse): Promise<Bridge | null> {
    const program = findProgram(spec.command);
    if (!program) {
      rpcError(res, 502, -32000, `MCP server '${server}' could not be started (${spec.command}): not found on the sandbox runner (PATH /usr/local/bin:/usr/bin:/bin).`);
      return null;
    }
    if (bridges.size >= options.maxBridges) {
      const oldest = [...bridges].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
      if (oldest) drop(oldest[0], "evicted");
    }
    const cwd = path.join(options.root, "mcp", server);
    mkdirSync(cwd, { recursive: true, mode: 0o700 });
    const uid = mode === "bwrap" ? undefined : options.uid;
    if (uid !== undefined) {
      // The dropped uid must be able to reach its own directory (search permission only, no listing).
      for (const dir of [options.root, path.dirname(cwd)]) chmodSync(dir, statSync(dir).mode | 0o111);
      chownSync(cwd, uid, uid);
    }
    chmodSync(cwd, 0o700);
    const child = new StdioProcessTransport({ launch: launchFor(mode, program, spec, cwd, options.bwrapPath), uid });
    try {
      await child.start();
    } catch (err) {
      rpcError(res, 502, -32000, `MCP server '${server}' could not be started (${spec.command}): ${(err as Error).message}`);
      return null;
    }
    const bridge: Bridge = { server, specKey, child, lastUsed: Date.now(), http: null as unknown as StreamableHTTPServerTransport };
    const http = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void bridges.set(id, bridge),
      onsessionclosed: (id) => drop(id, "deleted"),
    });
    bridge.http = http;
    // Requests and notifications go to the process as they come; its answers find their HTTP stream by id.
    const waiting = new Set<string | number>();
    http.onmessage = (message) => {
      if (isJSONRPCRequest(message)) waiting.add(message.id);
      void child.send(message).catch((err) => log("mcp_stdio_send_failed", { server, error: String(err) }));
    };
    child.onmessage = (message) => {
      if ("id" in message && message.id !== undefined && !("method" in message)) waiting.delete(message.id);
      void http.send(message).catch(() => {});
    };
    child.onclose = async () => {
      // Whoever still waits learns why instead of seeing a dropped connection.
      const why = `MCP server '${server}' exited${child.stderr ? `: ${child.stderr.slice(-500)}` : "."}`;
      for (const id of waiting) await http.send({ jsonrpc: "2.0", id, error: { code: -32000, message: why } }).catch(() => {});
      if (http.sessionId) drop(http.sessionId, "exited");
      else void http.close();
    };
    child.onerror = (err) => log("mcp_stdio_error", { server, error: String(err).slice(0, 200), stderr: child.stderr.slice(-300) });
    await http.start();
    log("mcp_stdio_started", { server, pid: child.pid, mode });
    return bridge;
  }

  /** Handles one request to `/mcp/stdio/<server>?spec=…` whose signature was already checked. */
  async function handle(req: IncomingMessage, res: ServerResponse, server: string, query: URLSearchParams, body: Buffer): Promise<void> {
    if (!SERVER_NAME.test(server)) return rpcError(res, 400, -32600, "Invalid MCP server name.");
    const demand = sandboxSettingSchema.safeParse(query.get("sandbox") ?? "auto");
    if (!demand.success) return rpcError(res, 400, -32600, "Invalid sandbox: expected auto, bwrap, container or none.");
    // The sandbox is part of the key: the same server under another demand is another process.
    const specKey = `${query.get("spec") ?? ""}|${demand.data}`;
    const spec = parseSpec(query.get("spec"));
    if (typeof spec === "string") return rpcError(res, 400, -32600, `Invalid stdio server spec: ${spec}.`);
    let mode: IsolationMode;
    try {
      mode = modeFor({ sandbox: demand.data, network: true }, options).mode;
    } catch (err) {
      if (!(err instanceof SandboxRefusedError)) throw err;
      return rpcError(res, SANDBOX_REFUSED_STATUS, -32000, `MCP server '${server}' not started: ${err.message.replace(/ The command did not run\.$/, "")}`);
    }
    let parsed: unknown;
    if (body.length) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return rpcError(res, 400, -32700, "Parse error: the body is not JSON.");
      }
    }
    const sessionId = req.headers["mcp-session-id"];
    let bridge: Bridge | null | undefined;
    let opened = false;
    if (typeof sessionId === "string") {
      bridge = bridges.get(sessionId);
      // A session belongs to the server and spec that started it: another spec is another process.
      if (!bridge || bridge.server !== server || bridge.specKey !== specKey) return rpcError(res, 404, -32001, "Session not found");
    } else if (req.method === "POST" && (Array.isArray(parsed) ? parsed.some((m) => isInitializeRequest(m)) : isInitializeRequest(parsed))) {
      bridge = await open(server, spec, specKey, mode, res);
      if (!bridge) return;
      opened = true;
    } else {
      return rpcError(res, 400, -32000, "Bad Request: no MCP session; send an initialize request first.");
    }
    bridge.lastUsed = Date.now();
    await bridge.http.handleRequest(req, res, parsed);
    // The transport refused the initialize request (e.g. a wrong Accept header): no session owns the process.
    if (opened && !bridge.http.sessionId) await bridge.child.close();
  }

  return {
    handle,
    count: () => bridges.size,
    closeAll(): void {
      clearInterval(sweep);
      for (const id of [...bridges.keys()]) drop(id, "runner stopping");
    },
  };
}

export type StdioBridges = ReturnType<typeof createStdioBridges>;
