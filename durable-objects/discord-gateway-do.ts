import { DurableObject } from "cloudflare:workers";
import { discordApi } from "../src/channels/discord/discord-api.ts";
import type { DiscordGatewayRpc, GatewayState } from "../src/bindings.ts";
import { gatewayAdapter, gatewayIntents, type GatewayMessage } from "../src/channels/discord/gateway-message.ts";
import { discordChannel } from "../src/channels/discord/discord-channel.ts";
import { receiveInbound } from "../src/channels/inbound-pipeline.ts";
import { loadConfig } from "../src/config/load-config.ts";
import type { DiscordConfig } from "../src/config/sections/channel-discord.ts";
import type { Env } from "../src/env.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify({ channel: "discord", ...fields }));

/** Gateway opcodes (discord.com/developers/docs/topics/opcodes-and-status-codes). */
const OP = { DISPATCH: 0, HEARTBEAT: 1, IDENTIFY: 2, RESUME: 6, RECONNECT: 7, INVALID_SESSION: 9, HELLO: 10, HEARTBEAT_ACK: 11 } as const;
/** Close codes after which reconnecting cannot help (bad token, bad intents, …): the object stops and says why. */
const FATAL_CLOSE = new Map([
  [4004, "authentication failed: channels.discord.token is wrong"],
  [4010, "invalid shard"],
  [4011, "sharding required (the bot is in too many servers for one connection)"],
  [4012, "invalid API version"],
  [4013, "invalid intents"],
  [4014, "disallowed intents: enable the Message Content intent in the developer portal (Bot → Privileged Gateway Intents) or use another groupPolicy"],
]);
/** Close codes after which the session cannot be resumed: identify afresh. */
const NEW_SESSION_CLOSE = new Set([4007, 4009]);
/** The watchdog alarm: reconnects after an eviction or a failed reconnect, and stops when the config turns it off. */
const WATCHDOG_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

interface Saved {
  sessionId?: string;
  resumeUrl?: string;
  seq: number | null;
  botId?: string;
}

type GatewayStatus = GatewayState;

/**
 * Holds the one Discord Gateway connection (`channels.discord.gateway: true`): identify, heartbeat, resume
 * after a disconnect (session id + last sequence, at the resume URL Discord gave), and every MESSAGE_CREATE
 * into the same inbound pipeline as webhooks. An outgoing WebSocket cannot hibernate, so this object stays
 * awake while the connection is open; the watchdog alarm brings it back after an eviction.
 */
export class DiscordGatewayDO extends DurableObject<Env> implements DiscordGatewayRpc {
  private ws: WebSocket | null = null;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private acked = true;
  private saved: Saved = { seq: null };
  private state: GatewayStatus["state"] = "disabled";
  private error: string | undefined;
  private botName: string | undefined;
  private resumed = 0;
  private failures = 0;
  private connecting: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.saved = (await ctx.storage.get<Saved>("gateway")) ?? { seq: null };
    });
  }

  private settings(): DiscordConfig | null {
    const loaded = loadConfig(this.env);
    if (!loaded.ok) return null;
    const d = loaded.config.channels.discord;
    return d.enabled && d.gateway && d.token ? d : null;
  }

  /** Connects unless connected (or stops when the config no longer wants it); cheap to call often. */
  async ensure(): Promise<GatewayStatus> {
    const d = this.settings();
    if (!d) {
      this.stop("disabled");
      return this.status();
    }
    if (this.state !== "stopped" && !this.ws) await this.reconnect(d);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    return this.status();
  }

  status(): GatewayStatus {
    return { state: this.state, ...(this.botName ? { bot: this.botName } : {}), resumed: this.resumed, ...(this.error ? { error: this.error } : {}) };
  }

  /** Closes the connection and forgets the alarm (the config turned the Gateway off, or a test is done). */
  async close(): Promise<void> {
    this.stop("disabled");
    await this.ctx.storage.deleteAlarm();
  }

  override async alarm(): Promise<void> {
    const d = this.settings();
    if (!d) return this.stop("disabled");
    if (this.state !== "stopped" && !this.ws) await this.reconnect(d).catch((err) => log({ event: "discord_gateway_error", error: String(err).slice(0, 200) }));
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
  }

  private stop(state: GatewayStatus["state"]): void {
    this.state = state;
    clearInterval(this.heartbeat);
    const ws = this.ws;
    this.ws = null;
    try {
      ws?.close(1000, "closing");
    } catch {
      // Already closed.
    }
  }

  private reconnect(d: DiscordConfig): Promise<void> {
    this.connecting ??= this.open(d).finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(d: DiscordConfig): Promise<void> {
    this.state = "connecting";
    const base = this.saved.sessionId && this.saved.resumeUrl ? this.saved.resumeUrl : (await discordApi<{ url: string }>(d, "GET", "/gateway/bot", undefined, { bot: true })).url;
    const url = new URL(base.replace(/^ws/, "http"));
    url.searchParams.set("v", "10");
    url.searchParams.set("encoding", "json");
    const res = await fetch(url.toString(), { headers: { upgrade: "websocket" } });
    const ws = res.webSocket;
    if (!ws) throw new Error(`the Gateway did not accept the WebSocket (HTTP ${res.status})`);
    ws.accept();
    this.ws = ws;
    this.acked = true;
    ws.addEventListener("message", (event) => {
      if (this.ws !== ws) return;
      try {
        this.onPayload(d, JSON.parse(String(event.data)) as { op: number; d: any; s?: number | null; t?: string | null });
      } catch (err) {
        log({ event: "discord_gateway_error", error: String(err).slice(0, 200) });
      }
    });
    ws.addEventListener("close", (event) => this.onClose(d, ws, event.code));
    ws.addEventListener("error", () => this.onClose(d, ws, 1006));
  }

  private send(payload: unknown): void {
    this.ws?.send(JSON.stringify(payload));
  }

  private persist(): void {
    void this.ctx.storage.put("gateway", this.saved);
  }

  private onPayload(d: DiscordConfig, p: { op: number; d: any; s?: number | null; t?: string | null }): void {
    switch (p.op) {
      case OP.HELLO: {
        const interval = Number(p.d?.heartbeat_interval ?? 41_250);
        clearInterval(this.heartbeat);
        this.heartbeat = setInterval(() => this.beat(), interval);
        if (this.saved.sessionId) this.send({ op: OP.RESUME, d: { token: d.token, session_id: this.saved.sessionId, seq: this.saved.seq } });
        else this.send({ op: OP.IDENTIFY, d: { token: d.token, intents: gatewayIntents(d), properties: { os: "cloudflare-workers", browser: "nanobot-edge", device: "nanobot-edge" } } });
        return;
      }
      case OP.HEARTBEAT:
        return this.send({ op: OP.HEARTBEAT, d: this.saved.seq });
      case OP.HEARTBEAT_ACK:
        this.acked = true;
        return;
      case OP.RECONNECT:
        return this.ws?.close(4000, "reconnect requested");
      case OP.INVALID_SESSION:
        if (!p.d) this.saved = { seq: null, botId: this.saved.botId };
        this.persist();
        return this.ws?.close(4000, "invalid session");
      case OP.DISPATCH:
        if (typeof p.s === "number") this.saved.seq = p.s;
        if (p.t === "READY") {
          this.saved = { ...this.saved, sessionId: p.d.session_id, resumeUrl: p.d.resume_gateway_url, botId: p.d.user?.id };
          this.botName = p.d.user?.username;
          this.markConnected("discord_gateway_ready");
        } else if (p.t === "RESUMED") {
          this.resumed++;
          this.markConnected("discord_gateway_resumed");
        } else if (p.t === "MESSAGE_CREATE" && this.saved.botId) {
          void this.receive(p.d as GatewayMessage, this.saved.botId);
        }
        this.persist();
        return;
    }
  }

  private markConnected(event: string): void {
    this.state = "connected";
    this.error = undefined;
    this.failures = 0;
    log({ event, resumed: this.resumed });
  }

  /** A missed heartbeat ACK means a zombie connection: close it and resume on a fresh one. */
  private beat(): void {
    if (!this.acked) {
      this.ws?.close(4000, "heartbeat not acknowledged");
      return;
    }
    this.acked = false;
    this.send({ op: OP.HEARTBEAT, d: this.saved.seq });
  }

  private onClose(d: DiscordConfig, ws: WebSocket, code: number): void {
    if (this.ws !== ws) return;
    this.ws = null;
    clearInterval(this.heartbeat);
    const fatal = FATAL_CLOSE.get(code);
    if (fatal) {
      this.state = "stopped";
      this.error = fatal;
      log({ event: "discord_gateway_stopped", code, reason: fatal });
      return;
    }
    if (NEW_SESSION_CLOSE.has(code)) this.saved = { seq: null, botId: this.saved.botId };
    this.persist();
    this.state = "connecting";
    const delay = Math.min(1000 * 2 ** this.failures++, MAX_BACKOFF_MS);
    log({ event: "discord_gateway_closed", code, reconnectInMs: delay, resume: Boolean(this.saved.sessionId) });
    setTimeout(() => {
      if (this.state === "connecting" && !this.ws) this.reconnect(d).catch((err) => log({ event: "discord_gateway_error", error: String(err).slice(0, 200) }));
    }, delay);
  }

  private async receive(message: GatewayMessage, botId: string): Promise<void> {
    const loaded = loadConfig(this.env);
    if (!loaded.ok) return;
    const access = discordChannel.access(loaded.config);
    if (!access) return;
    try {
      await receiveInbound(gatewayAdapter(botId), { rawBody: JSON.stringify(message), env: this.env, config: loaded.config }, access);
    } catch (err) {
      log({ event: "discord_gateway_message_failed", error: String(err).slice(0, 200) });
    }
  }
}
