import { SELF } from "cloudflare:test";

export interface TestSocket {
  ws: WebSocket;
  events: Array<Record<string, any>>;
  /** Resolves with the first event (from the start of the connection) matching `pred` not yet consumed. */
  next: (pred: (e: Record<string, any>) => boolean, timeoutMs?: number) => Promise<Record<string, any>>;
  sendJson: (frame: unknown) => void;
}

/** A connect token from GET /webui/token (bound to `clientId` when given). */
export async function issueToken(clientId?: string): Promise<string> {
  const res = await SELF.fetch(`https://gw/webui/token${clientId ? `?client_id=${clientId}` : ""}`, { headers: { authorization: "Bearer key-123" } });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Opens a socket through the Worker, the way the page does (token first, then the upgrade); frames are keyed `event`. */
export async function openSocket(clientId: string): Promise<TestSocket> {
  const token = await issueToken(clientId);
  const res = await SELF.fetch(`https://gw/ws?client_id=${clientId}&token=${token}`, { headers: { Upgrade: "websocket" } });
  if (!res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
  const ws = res.webSocket;
  ws.accept();
  const events: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  const consumed = new Set<number>();
  ws.addEventListener("message", (m) => {
    if (m.data === "pong") return; // auto-response to "ping", not an event
    events.push(JSON.parse(m.data as string));
    for (const w of waiters.splice(0)) w();
  });
  const next = (pred: (e: Record<string, any>) => boolean, timeoutMs = 8000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(events)}`)), timeoutMs);
      const check = () => {
        const i = events.findIndex((e, idx) => !consumed.has(idx) && pred(e));
        if (i >= 0) {
          consumed.add(i);
          clearTimeout(timer);
          resolve(events[i]);
        } else waiters.push(check);
      };
      check();
    });
  return { ws, events, next, sendJson: (frame) => ws.send(JSON.stringify(frame)) };
}
