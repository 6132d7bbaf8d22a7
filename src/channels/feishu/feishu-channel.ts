import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { MAX_CHANNEL_FILE_BYTES, storeChannelFile } from "../media.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { feishuBotInfo, feishuDownload } from "./feishu-api.ts";
import { markdownCard } from "./feishu-card.ts";
import { postFeishu, uploadFeishuMedia, type FeishuContent } from "./feishu-send.ts";
import { openFeishuBody, verifyFeishuRequest } from "./open-envelope.ts";
import { feishuSessionKey, parseFeishuEvent } from "./parse-event.ts";
import { feishuStreamHooks, finishStreamCard, updateFeishuCard } from "./stream-card.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): FeishuConfig => config.channels.feishu;
const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/**
 * A card's request is capped at 30 KB; 6,000 characters leave room for 3-byte CJK text and the double JSON
 * escaping of the card inside the request.
 */
export const FEISHU_PART_CHARS = 6_000;
/** File downloads run in the session's alarm, not in the event's 3-second answer; a slow file still gets a bound. */
const FILE_TIMEOUT_MS = 30_000;

/** Ledger value: the message id of the card the answer was streamed into (updated, not posted again, after a reset). */
const CARD = "card";

/**
 * Cards are updated at most once a second per turn: Feishu limits updates of one message (5 per second) and
 * a card that changes faster is hard to read.
 */
const STREAM_INTERVAL_MS = 1_000;

/** Feishu's `uuid` (≤ 50 characters) for part `i` of one reply: the same on every retry of that delivery. */
async function partUuid(replyKey: string, i: number | string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(replyKey)));
  return `nb-${[...digest.slice(0, 16)].map((b) => b.toString(16).padStart(2, "0")).join("")}-${i}`;
}

const cards = (markdown: string): FeishuContent[] => splitMessage(markdown, FEISHU_PART_CHARS).map((part) => ({ msg_type: "interactive", content: markdownCard(part) }));

export const feishuChannel: ChannelAdapter = {
  name: "feishu",

  access: (config) => sectionAccess(settings(config)),

  verify({ request, rawBody, config }) {
    return verifyFeishuRequest(settings(config), request.headers, rawBody);
  },

  async parse({ rawBody, config }) {
    const f = settings(config);
    const opened = await openFeishuBody(f, rawBody);
    if (!opened) return { kind: "ignore", reason: "body is not a Feishu event" };
    const { envelope } = opened;
    // Feishu wants the challenge back within 1 s, as plain JSON even when the request was encrypted.
    if (envelope.type === "url_verification") return { kind: "respond", response: Response.json({ challenge: envelope.challenge ?? "" }) };
    const isGroup = envelope.event?.message?.chat_type !== undefined && envelope.event.message.chat_type !== "p2p";
    // Mentions only matter in groups; a DM needs no call to bot/v3/info.
    const botOpenId = isGroup ? await feishuBotInfo(f).then((b) => b.open_id, (err) => (log({ event: "feishu_bot_info_failed", error: String(err).slice(0, 200) }), null)) : null;
    const parsed = parseFeishuEvent(envelope, botOpenId);
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: feishuSessionKey,

  async downloadFiles({ env, config, files, workspaceId }) {
    const f = settings(config);
    const refs: MediaRef[] = [];
    for (const file of files) {
      if (!file.url) continue;
      const { bytes, mimeType } = await feishuDownload(f, file.url, MAX_CHANNEL_FILE_BYTES, FILE_TIMEOUT_MS);
      const type = mimeType && !mimeType.startsWith("application/octet-stream") ? mimeType.split(";")[0] : (file.mimeType ?? "application/octet-stream");
      refs.push({ ...(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, type, file.name)), ...(file.durationS ? { durationS: file.durationS } : {}) });
    }
    return refs;
  },

  async status({ config }) {
    const bot = await feishuBotInfo(settings(config));
    return { bot: bot.app_name ?? bot.open_id };
  },

  outbound: {
    turnHooks({ config, request, inboxId, ledger }) {
      const f = settings(config);
      if (!f.streaming || request.message.buttonPress) return undefined;
      const key = `${request.sessionKey}#${inboxId}`;
      const { chatId, messageId, threadId } = request.message;
      return feishuStreamHooks({
        f,
        chatId,
        replyTo: messageId,
        inThread: Boolean(threadId),
        key,
        uuid: () => partUuid(key, "stream"),
        intervalMs: STREAM_INTERVAL_MS,
        maxChars: FEISHU_PART_CHARS,
        messageId: ledger?.get(CARD),
        onMessageId: (id) => ledger?.set(CARD, id),
      });
    },

    /**
     * Text as interactive cards (replies to the user's message), then the files; each part posted once. A
     * streamed card becomes the first part (updated to its final text).
     */
    async deliver({ env, config, request, reply, inboxId, ledger = memoryLedger() }) {
      const f = settings(config);
      const { chatId, messageId, threadId } = request.message;
      const key = `${request.sessionKey}#${inboxId}`;
      const streamed = (await finishStreamCard(key)) ?? ledger.get(CARD);
      const parts = reply.content.trim() ? splitMessage(reply.content, FEISHU_PART_CHARS) : [];
      const media = reply.media ?? [];
      // The session's ledger counts parts (cards, then files), so a resumed delivery repeats none.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        if (i === 0 && streamed && parts.length) await updateFeishuCard(f, streamed, parts[0]);
        else {
          const message = i < parts.length ? { msg_type: "interactive", content: markdownCard(parts[i]) } : await uploadFeishuMedia(f, env.WORKSPACE, media[i - parts.length]);
          if (message) await postFeishu(f, { chatId, replyTo: messageId, inThread: Boolean(threadId) }, message, await partUuid(key, i));
        }
        ledger.markPartsSent(i + 1);
      }
    },

    /** A message that answers nothing (pairing codes, the message tool, cron): posted to the chat. */
    async send({ env, config, target, text, media, buttons }) {
      const f = settings(config);
      const body = buttons?.length ? `${text}\n\n${buttonsAsText(buttons)}` : text;
      if (body.trim()) for (const card of cards(body)) await postFeishu(f, { chatId: target.chatId }, card);
      for (const ref of media ?? []) {
        const message = await uploadFeishuMedia(f, env.WORKSPACE, ref);
        if (message) await postFeishu(f, { chatId: target.chatId }, message);
      }
    },

    features: { files: true },
  },
};
