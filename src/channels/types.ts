import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { InboundMessage, MediaRef, PendingFile } from "../session-protocol/inbound.ts";
import type { ChannelOutbound } from "./outbound.ts";

/** What a webhook handler has to work with: the raw body is kept because signatures are computed over it. */
export interface WebhookInput {
  request: Request;
  rawBody: string;
  env: Env;
  config: Config;
}

/** What parsing needs: a polled update has no HTTP request of its own, only the body the API returned. */
export type InboundInput = Pick<WebhookInput, "rawBody" | "env" | "config">;

/**
 * A file the platform holds; downloaded into R2 only after access control let the message through, by the
 * session's alarm. `url`: direct download URL where the platform gives one (Slack), otherwise the adapter
 * resolves `id`; `durationS`: audio/voice length in seconds, where the platform tells it.
 */
export type PlatformFile = PendingFile;

export type WebhookOutcome =
  /** The platform wants a specific answer (Slack url_verification). */
  | { kind: "respond"; response: Response }
  /** Nothing for the agent (edits, joins, the bot's own messages); acknowledged with 200. */
  | { kind: "ignore"; reason: string }
  | { kind: "message"; message: InboundMessage; files: PlatformFile[] };

/** Access settings every channel section has (src/config/sections/channels.ts). */
export interface ChannelAccess {
  allowFrom: string[];
  groupPolicy: "mention" | "open" | "allowlist";
  groupAllowFrom: string[];
}

/**
 * One chat platform. A webhook flows verify → parse → (access control, rate limit: shared) → files → session;
 * replies flow back through `outbound`. Adding a channel = one folder implementing this + one line in src/wiring/channels.ts.
 */
export interface ChannelAdapter {
  name: string;
  /** The channel's access settings, or null when it is not enabled in the config. */
  access(config: Config): ChannelAccess | null;
  /**
   * `GET /webhooks/<name>`: the platform's URL check when the callback is configured (WeCom's `echostr`,
   * WhatsApp's `hub.challenge`); absent → 405. Must authenticate the request itself.
   */
  handshake?(args: { request: Request; env: Env; config: Config }): Promise<Response>;
  /** Authenticates the raw request in constant time; false → 401 and nothing is stored. */
  verify(input: WebhookInput): Promise<boolean>;
  /** Platforms that batch several messages in one delivery (WhatsApp): one body per message, each parsed on its own. */
  split?(input: Pick<WebhookInput, "rawBody">): string[];
  parse(input: InboundInput): Promise<WebhookOutcome>;
  /** e.g. `telegram:42`, `telegram:-100:topic:7`, `slack:C1:1712.5`. */
  sessionKey(message: InboundMessage): string;
  downloadFiles?(args: { env: Env; config: Config; files: PlatformFile[]; workspaceId: string }): Promise<MediaRef[]>;
  /**
   * Runs after a new message was stored (not for redeliveries): e.g. answering a Telegram button press, which
   * must happen within seconds of the press whatever the session is doing. Failures are logged and ignored.
   */
  acknowledge?(args: { env: Env; config: Config; message: InboundMessage }): Promise<void>;
  /**
   * The HTTP answer to a webhook the pipeline handled, given its status ("stored", "duplicate", "pairing",
   * "rate limited", "ignored: …"); without it 200 "ok". QQ wants an op 12 ACK, Discord a typed interaction response,
   * WeCom an empty body.
   */
  webhookAnswer?(status: string): Response;
  outbound: ChannelOutbound & Required<Pick<ChannelOutbound, "send">>;
  /** Extra JSON for `GET /admin/channels` (e.g. Telegram's getWebhookInfo). */
  status?(args: { env: Env; config: Config }): Promise<Record<string, unknown>>;
}
