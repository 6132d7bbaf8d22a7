import { AuthError, clientId, fetchToken } from "./api.ts";

export type ServerEvent = { event: string; chat_id?: string; [key: string]: any };

export interface ConnectionHandlers {
  onEvent: (event: ServerEvent) => void;
  onStatus: (status: "connecting" | "online" | "offline") => void;
  onAuthError: (message: string) => void;
}

/**
 * One WebSocket for all chats. Each (re)connect fetches a fresh single-use token first. "ping" frames are
 * answered by the runtime (auto-response), so keeping the socket alive does not wake the server's object.
 */
export class Connection {
  private ws: WebSocket | null = null;
  private retry = 0;
  private pinger: number | undefined;
  private closed = false;

  constructor(private readonly handlers: ConnectionHandlers) {}

  async open(): Promise<void> {
    this.closed = false;
    this.handlers.onStatus("connecting");
    let token: string;
    let wsPath: string;
    try {
      ({ token, ws_path: wsPath } = await fetchToken());
    } catch (err) {
      if (err instanceof AuthError) return this.handlers.onAuthError(err.message);
      return this.scheduleReconnect();
    }
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}${wsPath}?client_id=${encodeURIComponent(clientId())}&token=${encodeURIComponent(token)}`);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.handlers.onStatus("online");
      this.pinger = window.setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), 30_000);
    };
    ws.onmessage = (m) => {
      if (m.data === "pong") return;
      this.handlers.onEvent(JSON.parse(String(m.data)) as ServerEvent);
    };
    ws.onclose = () => {
      window.clearInterval(this.pinger);
      this.handlers.onStatus("offline");
      if (!this.closed) this.scheduleReconnect();
    };
  }

  send(frame: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  close(): void {
    this.closed = true;
    this.ws?.close(1000);
  }

  private scheduleReconnect(): void {
    const delay = Math.min(10_000, 500 * 2 ** this.retry++);
    window.setTimeout(() => !this.closed && void this.open(), delay);
  }
}
