/**
 * The stand-in Discord Gateway (v10, JSON encoding) on the stand-in Discord server, over the `ws` package's
 * WebSocket server: Hello (op 10) → Identify (op 2, checks the bot token: a wrong one closes with 4004) → READY
 * with a session id and `resume_gateway_url`; Heartbeat (op 1) → ACK (op 11); Resume (op 6) replays the
 * dispatches after the given seq, then RESUMED. Test controls (on the HTTP server):
 * `GET /__gateway` (ops received, connections, resumes), `POST /__gateway/dispatch {t, d}`, `POST /__gateway/drop`
 * (cuts the connection without a close frame, as a network failure does).
 */
import type http from "node:http";
import { createRequire } from "node:module";
import type { WebSocket, WebSocketServer as WsServer } from "ws";

// Loaded with require, when the server starts: Vite resolves a plain `import "ws"` in the global setup to ws's
// browser stub, and Worker tests that import this file's neighbours for their constants must not load ws at all.
const loadWs = () => createRequire(import.meta.url)("ws") as { WebSocketServer: typeof WsServer };

interface Frame {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface GatewayControl {
  /** Handles `/__gateway…` requests; false for other paths. */
  control(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): boolean;
  /** Cuts every open connection (the HTTP server's close does not see upgraded sockets). */
  close(): void;
}

export function attachGateway(server: http.Server, opts: { botToken: string; botId: string; username: string }): GatewayControl {
  const { WebSocketServer } = loadWs();
  const wss = new WebSocketServer({ noServer: true });
  const received: Array<{ op: number; d: unknown; at: number }> = [];
  const history: Frame[] = [];
  let socket: WebSocket | null = null;
  let sessionId: string | null = null;
  let seq = 0;
  let connections = 0;
  let resumes = 0;
  let ready = false;

  server.on("upgrade", (req, sock, head) => {
    if (!req.url?.startsWith("/gateway")) return sock.destroy();
    wss.handleUpgrade(req, sock, head, (ws) => wss.emit("connection", ws, req));
  });

  wss.on("connection", (ws: WebSocket, req: http.IncomingMessage) => {
    connections++;
    socket = ws;
    ready = false;
    const send = (frame: Frame) => ws.send(JSON.stringify(frame));
    send({ op: 10, d: { heartbeat_interval: 45_000, _trace: ["stand-in"] }, s: null, t: null });
    ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      const token = (frame.d as { token?: string } | null)?.token;
      received.push({ op: frame.op, d: token ? { ...(frame.d as object), token: token === opts.botToken ? "<bot token>" : "<wrong>" } : frame.d, at: Date.now() });
      if (frame.op === 1) return send({ op: 11, d: null });
      if (frame.op === 2) {
        if (token !== opts.botToken) return ws.close(4004, "Authentication failed.");
        sessionId = `session-${connections}-${Date.now()}`;
        ready = true;
        const host = req.headers.host;
        return send({ op: 0, s: ++seq, t: "READY", d: { v: 10, session_id: sessionId, resume_gateway_url: `ws://${host}/gateway-resume`, user: { id: opts.botId, username: opts.username, bot: true }, guilds: [], application: { id: "1" } } });
      }
      if (frame.op === 6) {
        const d = frame.d as { session_id: string; seq: number | null };
        if (token !== opts.botToken) return ws.close(4004, "Authentication failed.");
        if (d.session_id !== sessionId) return send({ op: 9, d: false });
        resumes++;
        ready = true;
        for (const missed of history.filter((f) => (f.s ?? 0) > (d.seq ?? 0))) send(missed);
        return send({ op: 0, s: ++seq, t: "RESUMED", d: {} });
      }
    });
    ws.on("close", () => {
      if (socket === ws) socket = null;
    });
  });

  return {
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
    control(req, res, raw) {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (!url.pathname.startsWith("/__gateway")) return false;
      const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (url.pathname === "/__gateway" && req.method === "GET") {
        json(200, { received, connections, resumes, connected: socket !== null && ready });
      } else if (url.pathname === "/__gateway/dispatch" && req.method === "POST") {
        const { t, d } = JSON.parse(raw.toString()) as { t: string; d: unknown };
        const frame: Frame = { op: 0, s: ++seq, t, d };
        history.push(frame);
        // While disconnected the event waits for the resume, as Discord keeps it for the session.
        if (socket && ready) socket.send(JSON.stringify(frame));
        json(200, { s: frame.s, delivered: socket !== null && ready });
      } else if (url.pathname === "/__gateway/drop" && req.method === "POST") {
        socket?.terminate();
        socket = null;
        ready = false;
        json(200, { dropped: true });
      } else json(404, { error: "unknown control" });
      return true;
    },
  };
}
