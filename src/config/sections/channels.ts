import { z } from "zod";
import { wecomConfigSchema } from "./channel-wecom.ts";
import { dingtalkConfigSchema } from "./channel-dingtalk.ts";
import { feishuConfigSchema } from "./channel-feishu.ts";
import { discordConfigSchema } from "./channel-discord.ts";
import { qqConfigSchema } from "./channel-qq.ts";
import { emailConfigSchema } from "./channel-email.ts";
import { whatsappConfigSchema } from "./channel-whatsapp.ts";

const groupPolicy = z.enum(["mention", "open", "allowlist"]).default("mention");
const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);
/** Group/channel ids served under `groupPolicy: "allowlist"`. */
const groupAllowFrom = allowFrom;

export const telegramConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  token: z.string().default(""),
  webhookSecretToken: z.string().default(""),
  allowFrom,
  groupPolicy,
  apiRoot: z.string().default("https://api.telegram.org"),
  streaming: z.boolean().default(true),
  groupAllowFrom,
  /** Streamed replies edit one message at most this often (Telegram allows about one edit per second per chat). */
  streamEditIntervalMs: z.number().int().min(250).default(1000),
  /**
   * How updates arrive. "auto": under `npm start` the gateway long-polls `getUpdates` at `apiRoot` (no public
   * URL needed); deployed, Telegram posts to `POST /webhooks/telegram` (registered by `npx nanobot deploy`).
   * "polling": long-poll under `npm start` only. A deployed Worker cannot hold a poll loop (nothing runs between
   * requests), so a deployed Worker with "polling" receives nothing: the webhook registration (deploy) refuses
   * and says so, which keeps the bot free for a local poller. "webhook": never polls, also under `npm start`.
   */
  mode: z.enum(["auto", "webhook", "polling"]).default("auto"),
  /** Reaction set on a message when it is received (nanobot's `reactEmoji`); "" = none. Must be one of Telegram's reaction emoji. */
  reactEmoji: z.string().default("👀"),
  /** Reaction that replaces `reactEmoji` when the answer is delivered; "" just removes it. */
  doneEmoji: z.string().default("✅"),
  /** The `message` tool's buttons as an inline keyboard (a press comes back as a message); off = buttons listed as text. */
  inlineKeyboards: z.boolean().default(true),
});

export const slackConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  botToken: z.string().default(""),
  signingSecret: z.string().default(""),
  allowFrom,
  groupPolicy,
  apiRoot: z.string().default("https://slack.com/api"),
  groupAllowFrom,
  replyInThread: z.boolean().default(true),
  reactEmoji: z.string().default("eyes"),
  doneEmoji: z.string().default("white_check_mark"),
});

/** Per-sender limit on chat messages: the RATE_LIMITER binding when it has exactly this limit (20 per 60 s), else a Durable Object counter (src/channels/rate-limit.ts). */
export const rateLimitSchema = z.strictObject({
  messages: z.number().int().positive().default(20),
  periodS: z.number().int().positive().default(60),
});

/** Paths the Worker already serves; the WebSocket and its token route must not shadow them. */
const RESERVED_PREFIXES = ["/v1", "/webui", "/admin", "/api", "/webhooks", "/health", "/triggers", "/local"];
const wsPath = (what: string) =>
  z
    .string()
    .transform((p) => (p.length > 1 ? p.replace(/\/+$/, "") : p)) // nanobot normalizes trailing slashes
    .refine((p) => p === "" || /^\/[A-Za-z0-9._~\/-]*$/.test(p), `${what} must start with "/" and contain only URL path characters`)
    .refine((p) => !RESERVED_PREFIXES.some((r) => p === r || p.startsWith(`${r}/`)), `${what} collides with a route the Worker already serves (${RESERVED_PREFIXES.join(", ")})`);

/**
 * nanobot's `channels.websocket` keys (docs/websocket.md) for the WebSocket the WebUI and nanobot's own
 * clients use. host/port/TLS/ping keys do not exist here: the Worker's URL is the host, Cloudflare terminates
 * TLS, and the runtime answers pings (see README "WebSocket protocol").
 */
export const websocketConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Upgrade path. "/" is the WebUI page here (served by the assets layer before the Worker runs). */
    path: wsPath("channels.websocket.path")
      .default("/ws")
      .refine((p) => p !== "" && p !== "/", 'channels.websocket.path "/" is the WebUI page on this Worker: pick another path such as "/ws"'),
    /** Static shared secret accepted as `?token=` (timing-safe comparison); issued tokens work as well. */
    token: z.string().default(""),
    /** false: connections without any token are accepted (only for a trusted network). */
    websocketRequiresToken: z.boolean().default(true),
    /** `GET <tokenIssuePath>` issues a single-use token (nanobot's route); "" = only GET /webui/token. */
    tokenIssuePath: wsPath("channels.websocket.tokenIssuePath").default(""),
    /** Secret for tokenIssuePath (`Authorization: Bearer` or `X-Nanobot-Auth`); "" = `token`, else `api.apiKey`. */
    tokenIssueSecret: z.string().default(""),
    /** Lifetime of issued tokens, for both token routes (nanobot: 30 – 86,400 s). */
    tokenTtlS: z.number().int().min(30).max(86_400).default(300),
    /** client ids allowed to connect; "*" allows all (nanobot's default), [] nobody. */
    allowFrom: z.array(z.string()).default(["*"]),
    /** false: each answer arrives as one `message` event instead of `delta` + `stream_end`. */
    streaming: z.boolean().default(true),
  })
  .refine((c) => !c.tokenIssuePath || c.tokenIssuePath !== c.path, { message: "channels.websocket.tokenIssuePath must differ from channels.websocket.path", path: ["tokenIssuePath"] });

/** One entry per supported channel; a misspelled or unsupported channel name is an unknown-key error. */
export const channelsSchema = z
  .strictObject({
    /** While a turn runs, show the model's interim text (before it calls tools) in the chat's status line. */
    sendProgress: z.boolean().default(true),
    /** While a turn runs, show which tool is running (`read notes.md`, `$ ls`) in the chat's status line. */
    sendToolHints: z.boolean().default(true),
    /** Show the model's reasoning (status line on Telegram/Slack, reasoning events in the WebUI). */
    showReasoning: z.boolean().default(true),
    telegram: telegramConfigSchema.prefault({}),
    slack: slackConfigSchema.prefault({}),
    wecom: wecomConfigSchema.prefault({}),
    feishu: feishuConfigSchema.prefault({}),
    dingtalk: dingtalkConfigSchema.prefault({}),
    whatsapp: whatsappConfigSchema.prefault({}),
    email: emailConfigSchema.prefault({}),
    websocket: websocketConfigSchema.prefault({}),
    qq: qqConfigSchema.prefault({}),
    discord: discordConfigSchema.prefault({}),
    rateLimit: rateLimitSchema.prefault({}),
  })
  .prefault({});

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;
export type SlackConfig = z.infer<typeof slackConfigSchema>;
export type WebsocketConfig = z.infer<typeof websocketConfigSchema>;
