import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";

/** A callback body (bot.q.qq.com 事件订阅与通知): `op` 0 dispatches an event `t` with data `d`; 13 validates the URL. */
export interface QqPayload {
  id?: string;
  op: number;
  t?: string;
  s?: number;
  d?: Record<string, any>;
}

export interface QqAttachment {
  content_type?: string;
  filename?: string;
  url?: string;
  size?: number;
}

/**
 * Where a QQ conversation lives, encoded in the chat id because each scene has its own send endpoint:
 * `c2c:<user_openid>`, `group:<group_openid>`, `channel:<channel_id>` (guild channel), `dm:<guild_id>` (guild DM).
 */
export type QqScene = "c2c" | "group" | "channel" | "dm";

export function sceneOf(chatId: string): { scene: QqScene; id: string } | null {
  const m = /^(c2c|group|channel|dm):(.+)$/.exec(chatId);
  return m ? { scene: m[1] as QqScene, id: m[2] } : null;
}

type Parsed = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

/** Guild messages carry the mention as `<@!bot id>`; group @-messages start with a space where it was. */
const stripMentions = (text: string) => text.replace(/<@!?\d+>/g, "").replace(/[ \t]+/g, " ").trim();

/** The four message events: C2C (private chat), group @, guild channel @ and guild DM → the channel-neutral message. */
export function parseQqEvent(payload: QqPayload): Parsed {
  const d = payload.d;
  if (!d || typeof d.id !== "string") return { ok: false, reason: `event ${payload.t ?? "none"} without a message` };
  const author = (d.author ?? {}) as Record<string, string | boolean | undefined>;
  if (author.bot === true) return { ok: false, reason: "message from a bot" };
  let chatId: string;
  let senderId: string | undefined;
  let groupIds: string[] | undefined;
  switch (payload.t) {
    case "C2C_MESSAGE_CREATE":
      senderId = (author.user_openid ?? author.id) as string | undefined;
      chatId = `c2c:${senderId}`;
      break;
    case "GROUP_AT_MESSAGE_CREATE":
      senderId = (author.member_openid ?? author.id) as string | undefined;
      chatId = `group:${d.group_openid}`;
      groupIds = [String(d.group_openid)];
      break;
    case "AT_MESSAGE_CREATE":
      senderId = author.id as string | undefined;
      chatId = `channel:${d.channel_id}`;
      groupIds = [String(d.channel_id), String(d.guild_id)];
      break;
    case "DIRECT_MESSAGE_CREATE":
      senderId = author.id as string | undefined;
      chatId = `dm:${d.guild_id}`;
      break;
    default:
      return { ok: false, reason: `event ${payload.t ?? "none"}` };
  }
  if (!senderId || chatId.endsWith(":undefined")) return { ok: false, reason: `${payload.t} without sender or chat` };
  const files: PlatformFile[] = ((d.attachments ?? []) as QqAttachment[])
    .filter((a) => a.url)
    // Guild attachments come without a scheme ("gchat.qpic.cn/…").
    .map((a, i) => ({ id: `${d.id}:${i}`, name: a.filename, mimeType: a.content_type, size: a.size, url: /^https?:\/\//.test(a.url!) ? a.url : `https://${a.url}` }));
  const text = stripMentions(String(d.content ?? ""));
  if (!text && !files.length) return { ok: false, reason: "empty message" };
  const isGroup = groupIds !== undefined;
  return {
    ok: true,
    files,
    message: {
      channel: "qq",
      chatId,
      senderId,
      senderName: typeof author.username === "string" ? author.username : undefined,
      text,
      isGroup,
      ...(groupIds ? { groupIds } : {}),
      // QQ delivers group and guild-channel messages only when they @ the bot.
      mentionsBot: isGroup,
      messageId: d.id,
      eventId: d.id,
    },
  };
}
