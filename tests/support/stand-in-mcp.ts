/**
 * A real MCP server (official SDK, Streamable HTTP with sessions) on 127.0.0.1 for the Worker's MCP client.
 * Tools: `add` (plain), `forecast` (with an outputSchema: the case AJV breaks under workerd), `broken`
 * (isError), `hang` (never answers); resource `today-note`; prompt `greet`.
 * `POST /__restart` forgets every session, as a restarted server would (old session ids then get 404).
 * `GET /__stats` → `{initializes, calls}`.
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

export interface StandInMcp {
  url: string;
  close(): Promise<void>;
}

const stats = { initializes: 0, calls: 0 };

function buildServer(): McpServer {
  const server = new McpServer({ name: "stand-in-mcp", version: "1.0.0" });
  server.registerTool("add", { description: "Add two numbers.", inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => {
    stats.calls++;
    return { content: [{ type: "text", text: `sum: ${a + b}` }] };
  });
  server.registerTool(
    "forecast",
    {
      description: "Weather forecast for a city.",
      inputSchema: { city: z.string() },
      outputSchema: { city: z.string(), temperatureC: z.number(), conditions: z.string() },
    },
    async ({ city }) => {
      stats.calls++;
      const structuredContent = { city, temperatureC: 21.5, conditions: "sunny" };
      return { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
    },
  );
  server.registerTool("broken", { description: "Always fails.", inputSchema: {} }, async () => {
    stats.calls++;
    return { isError: true, content: [{ type: "text", text: "the widget is broken" }] };
  });
  server.registerTool("hang", { description: "Never answers.", inputSchema: {} }, async () => {
    stats.calls++;
    return new Promise(() => {});
  });
  server.registerResource("today-note", "note://today", { description: "Today's note", mimeType: "text/plain" }, async (uri) => ({
    contents: [{ uri: uri.href, text: "Remember the oat milk." }],
  }));
  server.registerPrompt("greet", { description: "A greeting", argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Say hello to ${name} warmly.` } }],
  }));
  return server;
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (err) {
        reject(err);
      }
    });
    req.on("error", reject);
  });
}

export async function startStandInMcp(): Promise<StandInMcp> {
  let sessions = new Map<string, StreamableHTTPServerTransport>();
  const httpServer = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (url.pathname === "/__restart") {
        const old = sessions;
        sessions = new Map();
        await Promise.all([...old.values()].map((t) => t.close().catch(() => {})));
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === "/__stats") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
        return;
      }
      if (url.pathname !== "/mcp") {
        res.writeHead(404).end();
        return;
      }
      const body = req.method === "POST" ? await readJson(req) : undefined;
      const sessionId = req.headers["mcp-session-id"];
      let transport = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
      if (!transport) {
        if (req.method !== "POST" || !isInitializeRequest(body)) {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
          return;
        }
        stats.initializes++;
        const fresh = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => void sessions.set(id, fresh),
        });
        await buildServer().connect(fresh);
        transport = fresh;
      }
      await transport.handleRequest(req, res, body);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}

/** Runs the stand-in on its own (for manual checks under `npm start`): prints its URL. */
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startStandInMcp();
  console.log(server.url);
}
