import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../src/config/load-config.ts";
import type { Env } from "../src/env.ts";
import type { MediaRef } from "../src/session-protocol/inbound.ts";
import { workspaceIdFor } from "../src/session-protocol/workspace-id.ts";
import { isChatId, parseFrame } from "../src/webui/frame-parser.ts";
import type { ClientFrame, ServerEvent } from "../src/webui/protocol.ts";
import { HubStore } from "./websocket-hub/hub-store.ts";
import { TOKEN_STORE, type ConnectAuth } from "./websocket-hub/hub-names.ts";
import { sessionKeyFor } from "./websocket-hub/turn-relay.ts";
import { TurnRunner } from "./websocket-hub/turn-runner.ts";

/** What each socket remembers across hibernation (serializeAttachment, ≤ 2 KB is plenty for ids). */
interface SocketState {
  chats: string[];
  current: string | null;
  /** `channels.websocket.streaming` as the Worker read it when this socket connected. */
  streaming?: boolean;
}

const json = (status: number, body: unknown) => Response.json(body, { status });

/**
 * One object per client id (`WEBSOCKETS.getByName(clientId)`): it holds every open socket of that client (all
 * its tabs) with the Hibernation API, speaks nanobot's WebSocket protocol on them, and fans each chat's turn
 * frames out to the sockets attached to that chat. Each chat is its own session DO; this object only relays.
 * The object named TOKEN_STORE only keeps tokens issued without a client id (nanobot's tokenIssuePath).
 */
export class WebSocketHubDO extends DurableObject<Env> {
  private readonly store: HubStore;
  private readonly turns: TurnRunner;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new HubStore(ctx.storage.sql);
    this.store.bump("wakes");
    this.turns = new TurnRunner(this.store, (chatId, event) => this.broadcastChat(chatId, event));
    // Answered by the runtime without waking the object, so idle tabs cost nothing.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const clientId = request.headers.get("x-client-id") ?? "";
    if (clientId && !this.store.getMeta("client_id")) this.store.setMeta("client_id", clientId);
    if (url.pathname === "/token" && request.method === "POST") {
      const ttlS = this.config().channels.websocket.tokenTtlS;
      const issued = this.store.issueToken(ttlS * 1000);
      if (!issued) return json(429, { error: "too many outstanding tokens" });
      return json(200, { token: issued.token, expires_in: ttlS, ...(clientId ? { client_id: clientId } : {}) });
    }
    if (url.pathname === "/consume" && request.method === "POST") return json(this.store.consumeToken(url.searchParams.get("token") ?? "") ? 200 : 401, {});
    if (url.pathname === "/counters") return json(200, this.store.counters());
    if (url.pathname === "/push" && request.method === "POST") return this.push((await request.json()) as { chat_id: string; text: string });
    if (url.pathname !== "/connect") return json(404, { error: { message: "not found" } });
    // The token is checked before the upgrade: a bad one never gets a 101.
    if (!(await this.authorized(url.searchParams.get("auth") as ConnectAuth, url.searchParams.get("token") ?? ""))) {
      return json(401, { error: { message: "Invalid or expired WebSocket token. Get a fresh one from GET /webui/token or channels.websocket.tokenIssuePath (single use, short-lived).", type: "authentication_error", code: "invalid_token" } });
    }
    const pair = new WebSocketPair();
    const server = pair[1];
    this.ctx.acceptWebSocket(server);
    // As nanobot: every connection gets a fresh default chat for legacy frames; it is stored on first use.
    const defaultChat = newChatId();
    const streaming = url.searchParams.get("streaming") !== "0";
    server.serializeAttachment({ chats: [defaultChat], current: defaultChat, streaming } satisfies SocketState);
    send(server, { event: "ready", chat_id: defaultChat, client_id: clientId, chats: this.store.chats() });
    this.announceRuntimeModel(server);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    this.store.bump("messages");
    const size = typeof message === "string" ? new TextEncoder().encode(message).length : message.byteLength;
    const limit = this.config().webui.maxFrameBytes;
    if (size > limit) {
      send(ws, { event: "error", code: "frame_too_large", detail: `Message of ${size} bytes is larger than the ${limit}-byte limit (webui.maxFrameBytes). Upload files with POST /webui/upload instead of inlining them.` });
      return;
    }
    const parsed = parseFrame(typeof message === "string" ? message : new TextDecoder().decode(message));
    if (parsed.kind === "ignore") return;
    if (parsed.kind === "error") return send(ws, { event: "error", detail: parsed.detail, code: parsed.code });
    if (parsed.kind === "text") return this.message(ws, stateOf(ws).current ?? newChatId(), parsed.content, undefined, {});
    await this.handle(ws, parsed.frame);
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
    const invalid = () => send(ws, { event: "error", detail: "invalid chat_id", code: "invalid_chat_id" });
    if (frame.type === "new_chat") {
      if (frame.chat_id !== undefined && !isChatId(frame.chat_id)) return invalid();
      const chatId = frame.chat_id ?? newChatId();
      this.store.createChat(chatId, frame.title);
      this.attach(ws, chatId);
      this.broadcastAll({ event: "session_updated", chat_id: chatId, scope: "metadata", chats: this.store.chats() });
      return;
    }
    if (!isChatId(frame.chat_id) && !(frame.type === "message" && frame.chat_id === undefined)) return invalid();
    if (frame.type === "attach") {
      this.attach(ws, frame.chat_id as string);
      await this.hydrate(ws, frame.chat_id as string);
      return;
    }
    if (frame.type === "rename_chat" || frame.type === "delete_chat") {
      const chatId = frame.chat_id as string;
      const ok = frame.type === "rename_chat" ? this.store.renameChat(chatId, frame.title) : this.store.deleteChat(chatId);
      if (!ok) send(ws, { event: "error", code: "unknown_chat", chat_id: chatId, detail: `Unknown chat "${chatId}".` });
      else this.broadcastAll({ event: "session_updated", chat_id: chatId, scope: "metadata", chats: this.store.chats() });
      return;
    }
    const chatId = (frame.chat_id as string | undefined) ?? stateOf(ws).current ?? newChatId();
    const turnId = frame.turn_id ? { turn_id: frame.turn_id } : {};
    if (typeof frame.content !== "string" || (!frame.content.trim() && !frame.media?.length)) {
      return send(ws, { event: "error", detail: "missing content", code: "missing_content", chat_id: chatId, ...turnId });
    }
    await this.message(ws, chatId, frame.content, frame.media, { turnId: frame.turn_id, webui: frame.webui === true });
  }

  private async message(ws: WebSocket, chatId: string, text: string, media: MediaRef[] | undefined, opts: { turnId?: string; webui?: boolean }): Promise<void> {
    const config = this.config();
    const clientId = this.store.getMeta("client_id") ?? "anonymous";
    const workspaceId = workspaceIdFor(config, { channel: "websocket", senderId: clientId });
    // Only files this client's workspace received through /webui/upload may be passed to the model.
    const foreign = media?.find((m) => !m.key.startsWith(`workspaces/${workspaceId}/media/`) || m.key.includes(".."));
    if (foreign) {
      const reason = `Media key ${foreign.key} was not uploaded through POST /webui/upload for this client.`;
      send(ws, { event: "error", detail: "attachment_rejected", reason, code: "bad_media", chat_id: chatId, ...(opts.turnId ? { turn_id: opts.turnId } : {}) });
      return;
    }
    const created = !this.store.hasChat(chatId);
    if (created) this.store.createChat(chatId);
    if (!stateOf(ws).chats.includes(chatId)) this.attach(ws, chatId, false);
    this.store.append(chatId, { role: "user", text, media });
    const renamed = this.store.autoTitle(chatId, text);
    const command = text.trim().startsWith("/");
    const active = this.turns.active(chatId);
    const startsTurn = !command && !active;
    const activeFields = active ? { active_turn_id: active.turnId, started_at: active.startedAt } : {};
    // nanobot projects the message to the chat's other clients and acknowledges it only for WebUI frames.
    if (opts.webui) {
      for (const other of this.socketsOf(chatId)) {
        if (other !== ws) send(other, { event: "user_message", chat_id: chatId, text, starts_turn: startsTurn, ...(opts.turnId ? { turn_id: opts.turnId } : {}), ...activeFields, ...(media?.length ? { media } : {}) });
      }
      if (opts.turnId) send(ws, { event: "message_accepted", chat_id: chatId, turn_id: opts.turnId, starts_turn: startsTurn, ...activeFields });
    }
    // The chat list changes at once for the WebUI; other clients hear it from the session_updated after turn_end,
    // as nanobot sends it (nothing arrives between a legacy message and its answer but goal_status).
    if ((created || renamed) && opts.webui) this.broadcastAll({ event: "session_updated", chat_id: chatId, scope: "metadata", chats: this.store.chats() });
    await this.turns.run(
      { env: this.env, clientId, chatId, workspaceId, text, media, turnId: opts.turnId, streaming: stateOf(ws).streaming !== false, broadcast: (e) => this.broadcastChat(chatId, e) },
      command,
      () => this.broadcastAll({ event: "session_updated", chat_id: chatId, scope: "thread", chats: this.store.chats() }),
    );
  }

  /** nanobot's `_hydrate_after_subscribe`: a running turn's wall clock and an actionable goal. */
  private async hydrate(ws: WebSocket, chatId: string): Promise<void> {
    const active = this.turns.active(chatId);
    if (active) send(ws, { event: "goal_status", chat_id: chatId, status: "running", started_at: active.startedAt, ...(active.turnId ? { turn_id: active.turnId } : {}) });
    if (!this.store.hasChat(chatId)) return;
    const goal = await this.turns.goalOf(this.env, sessionKeyFor(this.env, this.store.getMeta("client_id") ?? "anonymous", chatId));
    if (goal && (goal.active || goal.status === "blocked")) send(ws, { event: "goal_state", chat_id: chatId, goal_state: goal });
  }

  /** A message nobody typed for (cron, the message tool): kept in the chat and shown in every tab on it. */
  private push(body: { chat_id: string; text: string }): Response {
    if (!this.store.hasChat(body.chat_id)) this.store.createChat(body.chat_id, "Notifications");
    this.store.append(body.chat_id, { role: "assistant", text: body.text });
    this.broadcastChat(body.chat_id, { event: "message", chat_id: body.chat_id, text: body.text });
    return json(200, { ok: true });
  }

  private async authorized(auth: ConnectAuth, token: string): Promise<boolean> {
    if (auth === "static" || auth === "none") return true;
    if (this.store.consumeToken(token)) return true;
    // Tokens from nanobot's tokenIssuePath are not bound to a client id; they live in one shared object.
    const res = await this.env.WEBSOCKETS.getByName(TOKEN_STORE).fetch(`https://hub/consume?token=${encodeURIComponent(token)}`, { method: "POST" });
    return res.ok;
  }

  /**
   * nanobot broadcasts `runtime_model_updated` when the default model changes. Here it changes only with the
   * config (a deploy or an edit under `npm start`, which also drops the sockets), so a client hears about it
   * when it reconnects to a model other than the one it last saw.
   */
  private announceRuntimeModel(ws: WebSocket): void {
    const model = this.config().agents.defaults.model;
    const seen = this.store.getMeta("runtime_model");
    if (seen === model) return;
    this.store.setMeta("runtime_model", model);
    if (seen !== null) send(ws, { event: "runtime_model_updated", model_name: model });
  }

  private attach(ws: WebSocket, chatId: string, announce = true): void {
    const state = stateOf(ws);
    // Bounded so the attachment stays small however many chats a tab opens.
    const chats = [chatId, ...state.chats.filter((c) => c !== chatId)].slice(0, 32);
    ws.serializeAttachment({ ...state, chats, current: chatId } satisfies SocketState);
    if (announce) send(ws, { event: "attached", chat_id: chatId, history: this.store.history(chatId) });
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

const newChatId = () => crypto.randomUUID();
