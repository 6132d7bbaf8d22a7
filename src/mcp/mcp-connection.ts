import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Prompt, Resource, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { McpServerConfig } from "../config/sections/tools.ts";
import type { SandboxSetting } from "../../sandbox-runner/src/protocol.ts";
import type { RunnerEndpoint } from "../sandbox/runner-settings.ts";
import { signedRunnerFetch, stdioBridgeUrl } from "./stdio-bridge.ts";
import type { McpUrlGuard } from "./url-guard.ts";

export interface McpListing {
  tools: Tool[];
  resources: Resource[];
  prompts: Prompt[];
}

export interface McpConnectionDeps {
  guard: McpUrlGuard;
  /** The sandbox runner, for stdio servers (or why there is none). */
  runner?: RunnerEndpoint | { error: string };
  /** tools.exec.sandbox: stdio servers run in the same sandbox as exec commands. */
  sandbox?: SandboxSetting;
}

export class McpRefusedError extends Error {
  override name = "McpRefusedError";
}

/** A server session that is gone (restart, expiry): the call may be repeated on a fresh connection. */
export function isSessionLost(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const text = String((err as Error)?.message ?? err);
  return code === 404 || /session (terminated|not found|expired)|not connected|connection closed|fetch failed|network connection lost|ECONNREFUSED|ECONNRESET/i.test(text);
}

const clientInfo = { name: "nanobot-edge", version: "0.1.0" };

/**
 * The SDK is imported on the first connection, not when the isolate starts: evaluating it (and the validators
 * and zod schemas it defines at load) is cold-start CPU every isolate paid even with no MCP server configured
 * (docs/benchmarks.md, "Lazy loading"). The bundle still contains it; only its evaluation waits.
 */
const loadSdk = async () => {
  const sdk = await import("./mcp-sdk.ts");
  return {
    newClient: (): Client => new sdk.Client(clientInfo, { capabilities: {}, jsonSchemaValidator: new sdk.CfWorkerJsonSchemaValidator() }),
    SSEClientTransport: sdk.SSEClientTransport,
    StreamableHTTPClientTransport: sdk.StreamableHTTPClientTransport,
  };
};

/** One MCP server as the session sees it: a lazily opened client that reconnects once when its session is lost. */
export class McpConnection {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;

  constructor(
    readonly server: string,
    readonly config: McpServerConfig,
    private readonly deps: McpConnectionDeps,
  ) {}

  get timeoutMs(): number {
    return this.config.toolTimeout * 1000;
  }

  /** The open client, connecting first if needed; concurrent callers share one attempt. */
  ensure(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open()
      .then((c) => (this.client = c))
      .finally(() => (this.connecting = null));
    return this.connecting;
  }

  async list(): Promise<McpListing> {
    return this.withReconnect(async (client) => {
      const caps = client.getServerCapabilities() ?? {};
      const opts = { timeout: this.timeoutMs };
      const tools = caps.tools ? (await client.listTools(undefined, opts)).tools : [];
      const resources = caps.resources ? (await client.listResources(undefined, opts)).resources : [];
      const prompts = caps.prompts ? (await client.listPrompts(undefined, opts)).prompts : [];
      return { tools, resources, prompts };
    });
  }

  /** Runs `fn` on the client; if the server lost our session, reconnects once and runs it again. */
  async withReconnect<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const first = await this.ensure();
    try {
      return await fn(first);
    } catch (err) {
      if (!isSessionLost(err)) throw err;
      console.log(JSON.stringify({ event: "mcp_reconnect", server: this.server, error: String((err as Error)?.message ?? err).slice(0, 200) }));
      await this.reset();
      return fn(await this.ensure());
    }
  }

  async reset(): Promise<void> {
    const old = this.client;
    this.client = null;
    await old?.close().catch(() => {});
  }

  private async open(): Promise<Client> {
    const { SSEClientTransport, StreamableHTTPClientTransport } = await loadSdk();
    const cfg = this.config;
    const type = cfg.type ?? (cfg.command ? "stdio" : "streamableHttp");
    if (type === "stdio") {
      const runner = this.deps.runner;
      if (!cfg.command) throw new McpRefusedError(`MCP server '${this.server}': type "stdio" needs a "command".`);
      if (!runner || "error" in runner) {
        throw new McpRefusedError(
          `MCP server '${this.server}' is a stdio server; it runs in the sandbox runner. Set tools.exec.runnerUrl and tools.exec.runnerSecret (npm start does it for you).`,
        );
      }
      const transport = new StreamableHTTPClientTransport(stdioBridgeUrl(runner.url, this.server, cfg, this.deps.sandbox), { fetch: signedRunnerFetch(runner.secret, runner.fetch) });
      return this.connectWith(transport);
    }
    if (!cfg.url) throw new McpRefusedError(`MCP server '${this.server}' needs a "url" (or "command" + "args" for a stdio server).`);
    const refusal = await this.deps.guard(cfg.url);
    if (refusal) throw new McpRefusedError(`MCP server '${this.server}': ${refusal}`);
    const url = new URL(cfg.url);
    const guardedFetch: typeof fetch = async (input, init) => {
      const target = input instanceof Request ? input.url : String(input);
      const refused = await this.deps.guard(target);
      if (refused) throw new McpRefusedError(refused);
      return fetch(input, init);
    };
    const requestInit = { headers: cfg.headers };
    if (type === "sse") return this.connectWith(new SSEClientTransport(url, { requestInit, fetch: guardedFetch }));
    try {
      return await this.connectWith(new StreamableHTTPClientTransport(url, { requestInit, fetch: guardedFetch }));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      // Older servers only speak the 2024-11 HTTP+SSE transport; they answer the streamable POST with 4xx.
      if (cfg.type || typeof code !== "number" || code < 400 || code >= 500) throw err;
      return this.connectWith(new SSEClientTransport(url, { requestInit, fetch: guardedFetch }));
    }
  }

  private async connectWith(transport: Transport): Promise<Client> {
    const client = (await loadSdk()).newClient();
    try {
      await client.connect(transport, { timeout: this.timeoutMs });
    } catch (err) {
      await client.close().catch(() => {});
      throw err;
    }
    return client;
  }
}
