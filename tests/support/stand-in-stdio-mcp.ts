/**
 * A small stdio MCP server (official SDK) for the runner's bridge tests: `echo` answers with its text and the
 * server's environment facts, `crash` exits the process mid-call (after a line on stderr).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { existsSync } from "node:fs";
import os from "node:os";
import { z } from "zod";

const server = new McpServer({ name: "stdio-fixture", version: "1.0.0" });
server.registerTool("echo", { description: "Echo a text.", inputSchema: { text: z.string() } }, async ({ text }) => ({
  content: [{ type: "text", text: `echo: ${text}` }],
}));
server.registerTool("whoami", { description: "Facts about the process.", inputSchema: {} }, async () => ({
  content: [
    {
      type: "text",
      text: JSON.stringify({
        uid: process.getuid?.(),
        cwd: process.cwd(),
        hostname: os.hostname(),
        greeting: process.env.GREETING ?? null,
        runnerSecret: process.env.RUNNER_SECRET ?? null,
        // PROBE_PATH (from the server's env config): can this process see that host path?
        probeVisible: process.env.PROBE_PATH ? existsSync(process.env.PROBE_PATH) : null,
      }),
    },
  ],
}));
server.registerTool("crash", { description: "Exit mid-call.", inputSchema: {} }, async () => {
  process.stderr.write("fixture: crashing on purpose\n");
  process.exit(3);
});
await server.connect(new StdioServerTransport());
