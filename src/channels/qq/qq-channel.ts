import type { QqConfig } from "../../config/sections/channel-qq.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import { memoryLedger } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { markdownToPlain } from "./markdown-to-plain.ts";
import { parseQqEvent, type QqPayload } from "./parse-event.ts";
import { qqApi } from "./qq-api.ts";
import { sendQqMedia, sendQqText, type ReplyRef } from "./qq-send.ts";
import { qqValidationSignature, verifyQqSignature } from "./qq-signature.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): QqConfig => config.channels.qq;

/** QQ publishes no text limit but refuses very long messages; parts stay at Discord's 2,000 characters. */
export const QQ_PART_LIMIT = 2000;
/** File downloads run in the session's alarm, not in QQ's 3-second acknowledgement; a slow file still gets a bound. */
const FILE_TIMEOUT_MS = 30_000;
/** A passive reply (msg_id) is accepted for 5 minutes after the user's message (QQ's 被动消息 window). */
const PASSIVE_WINDOW_MS = 5 * 60_000;
/** msg_seq values from here on are for `send` (pairing codes, the message tool); a reply's parts use 1, 2, … */
const SEND_SEQ_START = 100;

/** The user's latest message per chat in this isolate: `send` answers it passively while QQ still allows that. */
const latest = new Map<string, { msgId: string; at: number; seq: number }>();

const ACK = () => Response.json({ op: 12 });

/** Keeps `latest` to chats whose passive window is still open, so a busy isolate does not collect every chat. */
function remember(chatId: string, msgId: string): void {
  const now = Date.now();
  if (latest.size > 1000) for (const [id, entry] of latest) if (now - entry.at >= PASSIVE_WINDOW_MS) latest.delete(id);
  latest.set(chatId, { msgId, at: now, seq: SEND_SEQ_START });
}

export const qqChannel: ChannelAdapter = {
  name: "qq",

  access: (config) => sectionAccess(settings(config)),

  verify({ request, rawBody, config }) {
    return verifyQqSignature({
      secret: settings(config).secret,
      timestamp: request.headers.get("x-signature-timestamp"),
      signature: request.headers.get("x-signature-ed25519"),
      rawBody,
    });
  },

  async parse({ rawBody, config }) {
    let payload: QqPayload;
    try {
      payload = JSON.parse(rawBody) as QqPayload;
    } catch {
      return { kind: "ignore", reason: "body is not JSON" };
    }
    if (payload.op === 13) {
      const { plain_token: plainToken, event_ts: eventTs } = (payload.d ?? {}) as { plain_token?: unknown; event_ts?: unknown };
      // Only QQ-shaped values are signed, so this endpoint never signs text an attacker chose (the request is verified too).
      if (typeof plainToken !== "string" || typeof eventTs !== "string" || !/^[A-Za-z0-9]{1,128}$/.test(plainToken) || !/^\d{1,12}$/.test(eventTs)) {
        return { kind: "respond", response: Response.json({ error: "malformed validation request" }, { status: 400 }) };
      }
      return { kind: "respond", response: Response.json({ plain_token: plainToken, signature: await qqValidationSignature(settings(config).secret, eventTs, plainToken) }) };
    }
    if (payload.op !== 0) return { kind: "ignore", reason: `op ${payload.op}` };
    const parsed = parseQqEvent(payload);
    if (!parsed.ok) return { kind: "ignore", reason: parsed.reason };
    remember(parsed.message.chatId, parsed.message.messageId!);
    return { kind: "message", message: parsed.message, files: parsed.files };
  },

  sessionKey: (message) => `qq:${message.chatId}`,

  webhookAnswer: ACK,

  async downloadFiles({ env, files, workspaceId }) {
    const refs: MediaRef[] = [];
    // QQ's attachment URLs are signed links that need no token.
    for (const file of files) {
      if (!file.url) continue;
      const bytes = await fetchFile(file.url, {}, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name));
    }
    return refs;
  },

  outbound: {
    /** Text parts (plain text, split at QQ_PART_LIMIT), then files, each a passive reply with its own msg_seq. */
    async deliver({ env, config, request, reply, ledger = memoryLedger() }) {
      const qq = settings(config);
      const { chatId, messageId } = request.message;
      const parts = reply.content.trim() ? splitMessage(reply.content, QQ_PART_LIMIT) : [];
      const media = reply.media ?? [];
      // The session's ledger says where a resumed delivery continues. msg_seq is derived from the part's index,
      // so a part in flight when the object died is sent again with the same msg_seq, which QQ refuses as a
      // duplicate (40054005) rather than showing twice.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        const ref: ReplyRef = { msgId: messageId, seq: i + 1 };
        if (i < parts.length) await sendQqText(qq, chatId, markdownToPlain(parts[i]), ref);
        else await sendQqMedia(qq, env.WORKSPACE, chatId, media[i - parts.length], ref);
        ledger.markPartsSent(i + 1);
      }
    },

    /** Replies to the chat's latest message while QQ allows a passive reply; after that it is a proactive message. */
    async send({ env, config, target, text, media }) {
      const qq = settings(config);
      const recent = latest.get(target.chatId);
      const passive = recent && Date.now() - recent.at < PASSIVE_WINDOW_MS ? recent : undefined;
      const next = (): ReplyRef => (passive ? { msgId: passive.msgId, seq: ++passive.seq } : { seq: 1 });
      if (text.trim()) for (const part of splitMessage(text, QQ_PART_LIMIT)) await sendQqText(qq, target.chatId, markdownToPlain(part), next());
      for (const ref of media ?? []) await sendQqMedia(qq, env.WORKSPACE, target.chatId, ref, next());
    },

    features: { files: true },
  },

  /** `GET /users/@me` with a fresh token: proves appId and secret are right. */
  async status({ config }) {
    const me = await qqApi<{ id?: string; username?: string }>(settings(config), "GET", "/users/@me");
    return { bot: me.username ?? me.id ?? "unknown" };
  },
};
