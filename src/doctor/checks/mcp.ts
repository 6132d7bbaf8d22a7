import { McpConnection } from "../../mcp/mcp-connection.ts";
import { ssrfMcpUrlGuard } from "../../mcp/url-guard.ts";
import { runnerEndpointFor } from "../../sandbox/runner-settings.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

/** The doctor waits at most this long per server, whatever toolTimeout says. */
const MCP_TIMEOUT_S = 5;

/** Each MCP server: connect and list its tools, as a session would (same guard, same runner). */
export async function mcpChecks(ctx: DoctorContext): Promise<Finding[]> {
  const servers = Object.entries(ctx.config.tools.mcpServers);
  const guard = ssrfMcpUrlGuard(ctx.config, ctx.env);
  const runner = runnerEndpointFor(ctx.config, ctx.env);
  return Promise.all(
    servers.map(async ([name, cfg]): Promise<Finding> => {
      const check = `mcp:${name}`;
      const connection = new McpConnection(name, { ...cfg, toolTimeout: Math.min(cfg.toolTimeout, MCP_TIMEOUT_S) }, { guard, runner, sandbox: ctx.config.tools.exec.sandbox });
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${MCP_TIMEOUT_S} s`)), MCP_TIMEOUT_S * 1000);
        });
        const listing = await Promise.race([connection.list(), timeout]);
        return finding(check, "ok", `reachable, ${listing.tools.length} tool(s)`);
      } catch (err) {
        const where = cfg.command ? `tools.mcpServers.${name}.command` : `tools.mcpServers.${name}.url (and headers)`;
        return finding(check, "fail", `not reachable: ${String((err as Error)?.message ?? err).slice(0, 200)}`, `check ${where} and that the server is running`);
      } finally {
        clearTimeout(timer);
        await connection.reset();
      }
    }),
  );
}
