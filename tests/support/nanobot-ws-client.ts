/**
 * A client for nanobot's WebSocket channel written only from nanobot's docs/websocket.md (not from this
 * project's code): frames keyed `event`, `ready` on connect, legacy `{"content"}` frames to the default chat,
 * typed envelopes `new_chat` / `attach` / `message`, `delta` + `stream_end` (or one `message`) as the answer,
 * soft `error`. Tokens come from `GET {tokenIssuePath}` with `Authorization: Bearer` or `X-Nanobot-Auth`.
 * Uses the platform WebSocket (Node ≥ 22), as a third-party script would.
 */
export type Frame = { event: string; chat_id?: string; [key: string]: any };

export async function issueNanobotToken(httpBase: string, tokenIssuePath: string, secret: string, via: "bearer" | "x-nanobot-auth"): Promise<{ token: string; expires_in: number }> {
  const headers: Record<string, string> = via === "bearer" ? { Authorization: `Bearer ${secret}` } : { "X-Nanobot-Auth": secret };
  const res = await fetch(`${httpBase}${tokenIssuePath}`, { headers });
  if (!res.ok) throw new Error(`token issue answered ${res.status}`);
  return (await res.json()) as { token: string; expires_in: number };
}

export class NanobotClient {
  readonly frames: Frame[] = [];
  private readonly ws: WebSocket;
  private waiters: Array<() => void> = [];
  private consumed = new Set<number>();
  ready!: Frame;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (m) => {
      this.frames.push(JSON.parse(String(m.data)) as Frame);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** `ws://{host}:{port}{path}?client_id={id}&token={token}`; resolves on `ready`, rejects if the handshake fails. */
  static async connect(wsBase: string, path: string, query: { client_id?: string; token?: string }): Promise<NanobotClient> {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as Array<[string, string]>);
    const ws = new WebSocket(`${wsBase}${path}?${params}`);
    const client = new NanobotClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true });
      ws.addEventListener("error", () => reject(new Error("WebSocket handshake failed")), { once: true });
    });
    client.ready = await client.next((f) => f.event === "ready");
    return client;
  }

  /** The next frame (oldest first, each returned once) that matches. */
  next(pred: (f: Frame) => boolean, timeoutMs = 15_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; frames: ${JSON.stringify(this.frames)}`)), timeoutMs);
      const check = () => {
        const i = this.frames.findIndex((f, idx) => !this.consumed.has(idx) && pred(f));
        if (i < 0) return void this.waiters.push(check);
        this.consumed.add(i);
        clearTimeout(timer);
        resolve(this.frames[i]);
      };
      check();
    });
  }

  /** Legacy frame: goes to the default chat announced in `ready`. */
  sendLegacy(content: string): void {
    this.ws.send(JSON.stringify({ content }));
  }

  async newChat(): Promise<string> {
    this.ws.send(JSON.stringify({ type: "new_chat" }));
    return (await this.next((f) => f.event === "attached")).chat_id!;
  }

  send(chatId: string, content: string): void {
    this.ws.send(JSON.stringify({ type: "message", chat_id: chatId, content }));
  }

  /** The answer on `chatId`: the `delta` texts until `stream_end` of the same stream, or a whole `message`. */
  async answer(chatId: string): Promise<{ text: string; deltas: number }> {
    const first = await this.next((f) => f.chat_id === chatId && (f.event === "delta" || f.event === "message"));
    if (first.event === "message") return { text: first.text, deltas: 0 };
    let text = first.text as string;
    let deltas = 1;
    for (;;) {
      const f = await this.next((g) => g.chat_id === chatId && g.stream_id === first.stream_id && (g.event === "delta" || g.event === "stream_end"));
      if (f.event === "stream_end") return { text, deltas };
      text += f.text;
      deltas++;
    }
  }

  close(): void {
    this.ws.close(1000);
  }
}
