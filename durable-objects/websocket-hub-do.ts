import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../src/config/load-config.ts";
import type { Env } from "../src/env.ts";
import type { MediaRef } from "../src/session/inbound.ts";
import { workspaceIdFor } from "../src/session/workspace-id.ts";
import { clientFrameSchema, type ClientFrame, type ServerEvent } from "../src/webui/protocol.ts";
import { HubStore } from "./websocket-hub/hub-store.ts";
import { relayTurn } from "./websocket-hub/turn-relay.ts";

/** What each socket remembers across hibernation (serializeAttachment, ≤ 2 KB is plenty for ids). */
interface SocketState {
  chats: string[];
  current: string | null;
}

const json = (status: number, body: unknown) => Response.json(body, { status });

/**
 * One object per WebUI client id (`WEBSOCKETS.getByName(clientId)`): it issues connect tokens, holds every
 * open socket of that client (all its tabs) with the Hibernation API, and fans each chat's turn events out
 * to the sockets attached to that chat. Each chat is its own session DO; this object only relays.
 */
export class WebSocketHubDO extends DurableObject<Env> {
  private readonly store: HubStore;
  /** Per chat, the turn the next message waits for (in memory: the object cannot hibernate while a turn streams). */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new HubStore(ctx.storage.sql);
    this.store.bump("wakes");
    // Answered by the runtime without waking the object, so idle tabs cost nothing.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const clientId = request.headers.get("x-client-id") ?? "";
    if (clientId && !this.store.getMeta("client_id")) this.store.setMeta("client_id", clientId);
    if (url.pathname === "/token" && request.method === "POST") {
      const ttlS = this.config().webui.tokenTtlS;
      const { token, expiresAt } = this.store.issueToken(ttlS * 1000);
      return json(200, { token, expires_in: ttlS, expires_at: expiresAt, client_id: clientId });
    }
    if (url.pathname === "/counters") return json(200, this.store.counters());
    if (url.pathname === "/push" && request.method === "POST") return this.push((await request.json()) as { chat_id: string; text: string });
    if (url.pathname !== "/connect") return json(404, { error: { message: "not found" } });
    // The token is checked before the upgrade: a bad one never gets a 101.
    if (!this.store.consumeToken(url.searchParams.get("token") ?? "")) {
      return json(401, { error: { message: "Invalid or expired WebSocket token. Get a fresh one from GET /webui/token (single use, short-lived).", type: "authentication_error", code: "invalid_token" } });
    }
    const pair = new WebSocketPair();
    const server = pair[1];
    this.ctx.acceptWebSocket(server);
    let chats = this.store.chats();
    if (!chats.length) {
      this.store.createChat(newChatId());
      chats = this.store.chats();
    }
    const current = chats[0].chat_id;
    server.serializeAttachment({ chats: [current], current } satisfies SocketState);
    send(server, { type: "ready", client_id: clientId, chat_id: current, chats });
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.store.bump("messages");
    const size = typeof message === "string" ? new TextEncoder().encode(message).length : message.byteLength;
    const limit = this.config().webui.maxFrameBytes;
    if (size > limit) {
      send(ws, { type: "error", code: "frame_too_large", detail: `Message of ${size} bytes is larger than the ${limit}-byte limit (webui.maxFrameBytes). Upload files with POST /webui/upload instead of inlining them.` });
      return;
    }
    const frame = parseFrame(typeof message === "string" ? message : new TextDecoder().decode(message), stateOf(ws));
    if ("error" in frame) {
      send(ws, { type: "error", code: "bad_frame", detail: frame.error });
      return;
    }
    await this.handle(ws, frame);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.store.bump("closes");
    try {
      ws.close(code === 1005 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }

  private async handle(ws: WebSocket, frame: ClientFrame): Promise<void> {
    if (frame.type === "new_chat") {
      const chatId = frame.chat_id ?? newChatId();
      this.store.createChat(chatId, frame.title);
      this.attach(ws, chatId);
      this.broadcastAll({ type: "session_updated", chats: this.store.chats() });
      return;
    }
    if (frame.type === "attach") {
      if (!this.store.hasChat(frame.chat_id)) {
        send(ws, { type: "error", code: "unknown_chat", chat_id: frame.chat_id, detail: `Unknown chat "${frame.chat_id}": no chat with this id exists for this client. Start one with {"type":"new_chat"}.` });
        return;
      }
      this.attach(ws, frame.chat_id);
      return;
    }
    if (frame.type === "rename_chat" || frame.type === "delete_chat") {
      const ok = frame.type === "rename_chat" ? this.store.renameChat(frame.chat_id, frame.title) : this.store.deleteChat(frame.chat_id);
      if (!ok) send(ws, { type: "error", code: "unknown_chat", chat_id: frame.chat_id, detail: `Unknown chat "${frame.chat_id}".` });
      else this.broadcastAll({ type: "session_updated", chats: this.store.chats() });
      return;
    }
    await this.message(ws, frame.chat_id ?? stateOf(ws).current ?? newChatId(), frame.content, frame.media);
  }

  private async message(ws: WebSocket, chatId: string, text: string, media: MediaRef[] | undefined): Promise<void> {
    const config = this.config();
    const clientId = this.store.getMeta("client_id") ?? "anonymous";
    const workspaceId = workspaceIdFor(config, { channel: "websocket", senderId: clientId });
    // Only files this client's workspace received through /webui/upload may be passed to the model.
    const foreign = media?.find((m) => !m.key.startsWith(`workspaces/${workspaceId}/media/`) || m.key.includes(".."));
    if (foreign) {
      send(ws, { type: "error", code: "bad_media", chat_id: chatId, detail: `Media key ${foreign.key} was not uploaded through POST /webui/upload for this client.` });
      return;
    }
    const created = !this.store.hasChat(chatId);
    if (created) this.store.createChat(chatId);
    if (!stateOf(ws).chats.includes(chatId)) this.attach(ws, chatId, false);
    this.store.append(chatId, { role: "user", text, media });
    const renamed = this.store.autoTitle(chatId, text);
    for (const other of this.socketsOf(chatId)) if (other !== ws) send(other, { type: "user_message", chat_id: chatId, text, ...(media?.length ? { media } : {}) });
    if (created || renamed) this.broadcastAll({ type: "session_updated", chats: this.store.chats() });
    const run = async () => {
      const reply = await relayTurn({ env: this.env, clientId, chatId, workspaceId, text, media, broadcast: (event) => this.broadcastChat(chatId, event) });
      if (reply && this.store.hasChat(chatId)) this.store.append(chatId, { role: "assistant", text: reply.content });
    };
    // Slash commands answer at once (/stop must reach the running turn). A follow-up waits for the running
    // answer: the session would inject it into that turn and stream the same events on both requests, so
    // every tab would see each delta twice.
    if (text.trim().startsWith("/")) return run();
    const queued = (this.queues.get(chatId) ?? Promise.resolve()).then(run);
    const settled = queued.catch(() => {});
    this.queues.set(chatId, settled);
    try {
      await queued;
    } finally {
      if (this.queues.get(chatId) === settled) this.queues.delete(chatId);
    }
  }

  /** A message nobody typed for (cron, the message tool): kept in the chat and shown in every tab on it. */
  private push(body: { chat_id: string; text: string }): Response {
    if (!this.store.hasChat(body.chat_id)) this.store.createChat(body.chat_id, "Notifications");
    this.store.append(body.chat_id, { role: "assistant", text: body.text });
    this.broadcastChat(body.chat_id, { type: "message", chat_id: body.chat_id, text: body.text });
    return json(200, { ok: true });
  }

  private attach(ws: WebSocket, chatId: string, announce = true): void {
    const state = stateOf(ws);
    // Bounded so the attachment stays small however many chats a tab opens.
    const chats = [chatId, ...state.chats.filter((c) => c !== chatId)].slice(0, 32);
    ws.serializeAttachment({ chats, current: chatId } satisfies SocketState);
    if (announce) send(ws, { type: "attached", chat_id: chatId, history: this.store.history(chatId) });
  }

  private socketsOf(chatId: string): WebSocket[] {
    return this.ctx.getWebSockets().filter((s) => stateOf(s).chats.includes(chatId));
  }

  private broadcastChat(chatId: string, event: ServerEvent): void {
    for (const socket of this.socketsOf(chatId)) send(socket, event);
  }

  private broadcastAll(event: ServerEvent): void {
    for (const socket of this.ctx.getWebSockets()) send(socket, event);
  }

  private config() {
    const result = loadConfig(this.env);
    if (!result.ok) throw new Error(result.error.message);
    return result.config;
  }
}

function stateOf(ws: WebSocket): SocketState {
  return (ws.deserializeAttachment() as SocketState | null) ?? { chats: [], current: null };
}

function send(ws: WebSocket, event: ServerEvent): void {
  try {
    ws.send(JSON.stringify(event));
  } catch {
    // The socket closed mid-turn; the other tabs still get the event.
  }
}

const newChatId = () => `c-${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;

/** Plain text (nanobot's legacy form) goes to the current chat; JSON envelopes are validated. */
function parseFrame(text: string, state: SocketState): ClientFrame | { error: string } {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return { type: "message", chat_id: state.current ?? undefined, content: text };
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    return { error: "The frame starts with { but is not valid JSON." };
  }
  const legacy = raw as Record<string, unknown>;
  if (legacy && typeof legacy === "object" && !("type" in legacy)) {
    const content = legacy.content ?? legacy.text ?? legacy.message;
    if (typeof content === "string") return { type: "message", chat_id: state.current ?? undefined, content };
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (!parsed.success) return { error: `Invalid frame: ${parsed.error.issues.map((i) => `${i.path.join(".") || "type"}: ${i.message}`).join("; ")}` };
  return parsed.data;
}
