import type { Config } from "../config/schema.ts";
import type { McpServerConfig } from "../config/sections/tools.ts";
import type { Env } from "../env.ts";
import { containerInstanceFor, runnerEndpointFor } from "../sandbox/runner-settings.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { McpConnection, type McpListing } from "./mcp-connection.ts";
import { mcpToolDefinitions } from "./mcp-tools.ts";
import { ssrfMcpUrlGuard, type McpUrlGuard } from "./url-guard.ts";

export type McpServerState = "connected" | "failed";

export interface McpServerStatus {
  server: string;
  state: McpServerState;
  tools: number;
  error?: string;
  at: number;
}

/**
 * Listings are plain data, so one isolate shares them between sessions and turns (keyed by the server's
 * whole config); connections hold I/O objects and belong to one session (workerd forbids sharing those).
 */
const listings = new Map<string, { listing: McpListing; at: number }>();
const statuses = new Map<string, McpServerStatus>();

const keyOf = (server: string, cfg: McpServerConfig) => JSON.stringify([server, cfg]);

/** State of each configured server as last seen in this isolate (for /status). */
export function mcpStatus(config: Config): McpServerStatus[] {
  return Object.entries(config.tools.mcpServers).map(
    ([server]) => statuses.get(server) ?? { server, state: "failed", tools: 0, error: "not contacted yet", at: 0 },
  );
}

/** Forgets cached listings (tests, or after a config change). */
export function clearMcpListings(): void {
  listings.clear();
}

export interface McpPoolOptions {
  /** Overrides the URL check (default: the SSRF guard with literal loopback allowed). */
  guard?: McpUrlGuard;
  now?: () => number;
}

/** The MCP servers of one session (or one stateless request). */
export class McpPool {
  private readonly connections = new Map<string, McpConnection>();

  constructor(private readonly options: McpPoolOptions = {}) {}

  private connection(config: Config, env: Record<string, unknown>, server: string, cfg: McpServerConfig, workspaceId: string | undefined): McpConnection {
    // A stdio server runs in its workspace's sandbox: another workspace (isolation "user") is another connection.
    const key = cfg.command ? `${keyOf(server, cfg)}@${containerInstanceFor(config, workspaceId)}` : keyOf(server, cfg);
    let conn = this.connections.get(key);
    if (!conn) {
      conn = new McpConnection(server, cfg, {
        guard: this.options.guard ?? ssrfMcpUrlGuard(config, env),
        runner: runnerEndpointFor(config, env as Env, { workspaceId }),
        sandbox: config.tools.exec.sandbox,
      });
      this.connections.set(key, conn);
    }
    return conn;
  }

  /**
   * Tool definitions of every configured server. A server that cannot be reached contributes no tools and
   * is reported by /status; it never fails the turn.
   */
  async tools(config: Config, env: Record<string, unknown>, workspaceId?: string): Promise<ToolDefinition[]> {
    const now = (this.options.now ?? Date.now)();
    const entries = Object.entries(config.tools.mcpServers);
    const perServer = await Promise.all(
      entries.map(async ([server, cfg]) => {
        const conn = this.connection(config, env, server, cfg, workspaceId);
        const key = keyOf(server, cfg);
        const cached = listings.get(key);
        let listing = cached && now - cached.at < cfg.listTtlS * 1000 ? cached.listing : null;
        try {
          if (!listing) {
            listing = await conn.list();
            listings.set(key, { listing, at: now });
          }
          const defs = mcpToolDefinitions(conn, listing);
          statuses.set(server, { server, state: "connected", tools: defs.length, at: now });
          return defs;
        } catch (err) {
          const error = String((err as Error)?.message ?? err).slice(0, 300);
          statuses.set(server, { server, state: "failed", tools: 0, error, at: now });
          console.log(JSON.stringify({ event: "mcp_unavailable", server, error }));
          return [];
        }
      }),
    );
    return perServer.flat();
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.reset()));
    this.connections.clear();
  }
}
