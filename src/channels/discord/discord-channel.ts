import { composeHooks } from "../../agent/hooks.ts";
import type { DiscordConfig } from "../../config/sections/channel-discord.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import { memoryLedger } from "../outbound.ts";
import { progressHooks, progressSettings, wantsStatusLine } from "../progress/progress-hooks.ts";
import { createStatusLine, finishStatusLine, trackStatusLine } from "../progress/status-line.ts";
import { RATE_LIMIT_TEXT } from "../rate-limit.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { DiscordApiError, discordApi } from "./discord-api.ts";
import { DISCORD_PART_LIMIT, channelMessage, editOriginal, followUp, loadFile, tokenExpired } from "./discord-send.ts";
import { discordGatewayStatus } from "./gateway-control.ts";
import { parseInteraction, type Interaction } from "./parse-interaction.ts";
import { verifyDiscordSignature } from "./verify-interaction.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): DiscordConfig => config.channels.discord;

/** Attachments come from Discord's CDN; downloads run in the session's alarm (the 3-second ack is long answered). */
const FILE_TIMEOUT_MS = 30_000;
/** Webhook message edits are rate-limited (about 5 per 5 s); one status edit a second stays under it. */
const STATUS_INTERVAL_MS = 1000;

const ephemeral = (content: string) => Response.json({ type: 4, data: { content, flags: 64 } });

export const NOT_ALLOWED_TEXT = "This assistant does not answer you here. Ask its owner to add your user id (or this server or channel) to channels.discord.allowFrom / groupAllowFrom.";
export const PAIRING_SENT_TEXT = "This assistant only answers approved users: your pairing code was posted in this chat.";

export const discordChannel: ChannelAdapter = {
  name: "discord",

  access: (config) => sectionAccess(settings(config)),

  verify({ request, rawBody, config }) {
    return verifyDiscordSignature({
      publicKey: settings(config).publicKey,
      timestamp: request.headers.get("x-signature-timestamp"),
      signature: request.headers.get("x-signature-ed25519"),
      rawBody,
    });
  },

  async parse({ rawBody }) {
    let interaction: Interaction;
    try {
      interaction = JSON.parse(rawBody) as Interaction;
    } catch {
      return { kind: "ignore", reason: "body is not JSON" };
    }
    if (interaction.type === 1) return { kind: "respond", response: Response.json({ type: 1 }) };
    const parsed = parseInteraction(interaction);
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: (message) => `discord:${message.chatId}`,

  /**
   * Discord waits 3 seconds for the interaction response. A stored prompt gets type 5 (deferred: "nanobot is
   * thinking…"), answered later by editing it; everything else an ephemeral message only the user sees.
   */
  webhookAnswer(status) {
    if (status === "stored" || status === "duplicate") return Response.json({ type: 5 });
    if (status.startsWith("pairing")) return ephemeral(PAIRING_SENT_TEXT);
    if (status === "rate limited") return ephemeral(RATE_LIMIT_TEXT);
    if (/not allowed|groupAllowFrom/.test(status)) return ephemeral(NOT_ALLOWED_TEXT);
    return ephemeral("Nothing to do for this command.");
  },

  async downloadFiles({ env, files, workspaceId }) {
    const refs: MediaRef[] = [];
    for (const file of files) {
      if (!file.url) continue;
      const bytes = await fetchFile(file.url, {}, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name));
    }
    return refs;
  },

  outbound: {
    /** While the turn runs, its progress (tool hints, interim text) is shown in the deferred response itself. */
    turnHooks({ config, request, inboxId }) {
      const d = settings(config);
      const token = request.message.messageId;
      const progressConfig = progressSettings(config);
      if (!token || !wantsStatusLine(progressConfig)) return undefined;
      const line = createStatusLine({
        channel: "discord",
        intervalMs: STATUS_INTERVAL_MS,
        retryAfterMs: (err) => (err instanceof DiscordApiError && err.status === 429 ? (err.retryAfterS ?? 5) * 1000 : null),
        // The answer replaces the status text, so there is nothing to delete afterwards.
        sink: { show: async (text) => void (await editOriginal(d, token, `⏳ ${text}`.slice(0, DISCORD_PART_LIMIT))), remove: async () => {} },
      });
      return composeHooks(progressHooks(progressConfig, trackStatusLine(`${request.sessionKey}#${inboxId}`, line)));
    },

    /**
     * The first part replaces the deferred response, the rest are follow-ups, then the files. Interaction tokens
     * last 15 minutes: after that the remaining parts go to the channel with the bot token.
     */
    async deliver({ env, config, request, reply, inboxId, ledger = memoryLedger() }) {
      const d = settings(config);
      const { chatId, messageId: token } = request.message;
      const key = `${request.sessionKey}#${inboxId}`;
      await finishStatusLine(key);
      const media = reply.media ?? [];
      const parts = reply.content.trim() ? splitMessage(reply.content, DISCORD_PART_LIMIT) : [];
      // The deferred "thinking…" message must be replaced even when the answer is only files.
      if (!parts.length) parts.push(media.length ? "📎" : "(no answer)");
      let viaToken = Boolean(token);
      // The session's ledger counts parts (the edited original is part 0), so a resumed delivery repeats none.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        const file = i >= parts.length ? await loadFile(env.WORKSPACE, media[i - parts.length]) : undefined;
        if (file === null) continue;
        const content = i < parts.length ? parts[i] : "";
        try {
          if (!viaToken) await channelMessage(d, chatId, content, file);
          else if (i === 0) await editOriginal(d, token!, content);
          else await followUp(d, token!, content, file);
        } catch (err) {
          if (!viaToken || !tokenExpired(err)) throw err;
          console.log(JSON.stringify({ event: "discord_interaction_expired", chat: chatId }));
          viaToken = false;
          await channelMessage(d, chatId, content, file);
        }
        ledger.markPartsSent(i + 1);
      }
    },

    async send({ env, config, target, text, media }) {
      const d = settings(config);
      if (text.trim()) for (const part of splitMessage(text, DISCORD_PART_LIMIT)) await channelMessage(d, target.chatId, part);
      for (const ref of media ?? []) {
        const file = await loadFile(env.WORKSPACE, ref);
        if (file) await channelMessage(d, target.chatId, "", file);
      }
    },

    features: { files: true },
  },

  /** `GET /users/@me` with the bot token: proves the token and names the bot; with the Gateway on, its state. */
  async status({ env, config }) {
    const d = settings(config);
    const me = await discordApi<{ username?: string; id?: string }>(d, "GET", "/users/@me", undefined, { bot: true });
    return { bot: me.username ?? me.id ?? "unknown", ...(d.gateway ? { gateway: await discordGatewayStatus(env) } : {}) };
  },
};
