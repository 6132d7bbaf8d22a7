import type { Env } from "../env.ts";
import type { InboundMessage } from "../session-protocol/inbound.ts";

/**
 * Messages a channel could not deliver and will not retry (WhatsApp outside the 24-hour window without a
 * template, email without a verified address): recorded so `/status` and `npx nanobot doctor` tell the user
 * instead of the message vanishing. One small R2 object per event; the details live in its custom metadata
 * (R2 allows 2 KB of it), so listing is enough to report them.
 */
export interface UndeliveredRecord {
  channel: string;
  chatId: string;
  at: number;
  /** Why it was not delivered, and what to set so it will be. */
  reason: string;
  fix: string;
  /** The first characters of the message. */
  preview: string;
}

const PREFIX = "channels/undelivered/";
/** Older records are not reported: they describe a problem the user has long been told about. */
export const UNDELIVERED_REPORT_MS = 7 * 24 * 3600_000;
const PREVIEW_CHARS = 120;

const chatPrefix = (channel: string, chatId: string) => `${PREFIX}${channel}/${encodeURIComponent(chatId)}/`;

export async function recordUndelivered(bucket: R2Bucket, record: Omit<UndeliveredRecord, "at" | "preview"> & { text: string }): Promise<UndeliveredRecord> {
  const at = Date.now();
  const full: UndeliveredRecord = { channel: record.channel, chatId: record.chatId, at, reason: record.reason, fix: record.fix, preview: record.text.replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS) };
  const key = `${chatPrefix(record.channel, record.chatId)}${String(at).padStart(15, "0")}-${crypto.randomUUID().slice(0, 6)}`;
  await bucket.put(key, "", { customMetadata: { ...full, at: String(at) } });
  console.log(JSON.stringify({ event: "channel_undelivered", channel: record.channel, chat: record.chatId, reason: record.reason }));
  return full;
}

/** Recent records, newest first: of one chat, or of every chat of a channel / every channel. */
export async function recentUndelivered(bucket: R2Bucket, scope: { channel?: string; chatId?: string } = {}, now = Date.now()): Promise<UndeliveredRecord[]> {
  const prefix = scope.channel && scope.chatId ? chatPrefix(scope.channel, scope.chatId) : scope.channel ? `${PREFIX}${scope.channel}/` : PREFIX;
  const records: UndeliveredRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, include: ["customMetadata"] });
    for (const object of page.objects) {
      const m = object.customMetadata ?? {};
      const at = Number(m.at);
      if (now - at <= UNDELIVERED_REPORT_MS) records.push({ channel: m.channel, chatId: m.chatId, at, reason: m.reason, fix: m.fix, preview: m.preview });
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return records.sort((a, b) => b.at - a.at);
}

/** The /status line: what this chat missed, and how many messages other chats missed. Null when nothing was lost. */
export async function undeliveredStatusLine(session: { env: Env; request?: { message: Pick<InboundMessage, "channel" | "chatId"> } }): Promise<string | null> {
  const all = await recentUndelivered(session.env.WORKSPACE);
  if (!all.length) return null;
  const here = session.request ? all.filter((r) => r.channel === session.request!.message.channel && r.chatId === session.request!.message.chatId) : [];
  const others = all.length - here.length;
  const lines: string[] = [];
  if (here.length) {
    const last = here[0];
    lines.push(`⚠️ Not delivered: ${here.length} message(s) to this chat in the last 7 days; last at ${new Date(last.at).toISOString()} ("${last.preview}"): ${last.reason}. Fix: ${last.fix}`);
  }
  if (others) lines.push(`⚠️ Not delivered: ${others} message(s) to other chats in the last 7 days (npx nanobot doctor lists them)`);
  return lines.join("\n");
}
