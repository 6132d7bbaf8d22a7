import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { claimChannelEvent, PairingStore, releaseChannelEvent } from "../pairing/pairing-store.ts";
import type { InboundMessage, MediaRef, TurnRequest } from "../session-protocol/inbound.ts";
import { conversationKey } from "../session-protocol/session-key.ts";
import { workspaceIdFor } from "../session-protocol/workspace-id.ts";
import { decideAccess, PAIRING_FULL_TEXT, pairingCodeText } from "./access-control.ts";
import { RATE_LIMIT_TEXT, isRateLimited } from "./rate-limit.ts";
import type { ChannelAccess, ChannelAdapter, InboundInput, PlatformFile } from "./types.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

export type InboundResult = { kind: "respond"; response: Response } | { kind: "done"; status: string };

/**
 * Everything after authentication, shared by every way an update arrives (a verified webhook, a polled
 * `getUpdates` batch): parse → access control/pairing → rate limit → files → session inbox. The dedupe key is
 * `<channel>:<eventId>` (Telegram's update_id) however the update came, so a webhook redelivery and a poll of
 * the same update are one message. Resolves once the session has stored it; throws when it could not, so the
 * caller does not acknowledge (webhook: 500 → Telegram retries; polling: the offset is not advanced).
 */
export async function receiveInbound(adapter: ChannelAdapter, input: InboundInput, access: ChannelAccess): Promise<InboundResult> {
  const started = Date.now();
  const outcome = await adapter.parse(input);
  if (outcome.kind === "respond") return outcome;
  if (outcome.kind === "ignore") {
    log({ event: "webhook_ignored", channel: adapter.name, reason: outcome.reason });
    return { kind: "done", status: `ignored: ${outcome.reason}` };
  }
  const status = await dispatch(adapter, input, outcome.message, outcome.files, access);
  log({ event: "webhook", channel: adapter.name, status, ms: Date.now() - started });
  return { kind: "done", status };
}

async function dispatch(adapter: ChannelAdapter, { env, config }: InboundInput, message: InboundMessage, files: PlatformFile[], access: ChannelAccess): Promise<string> {
  const target = { chatId: message.chatId, threadId: message.threadId };
  const eventKey = `${adapter.name}:${message.eventId ?? crypto.randomUUID()}`;
  const limitKey = `${adapter.name}:${message.senderId}`;
  // Both are round trips (D1, the counter object): run them together to keep the ack short. A sender who is
  // not let in still counts against their limit, which also slows down pairing-code spam.
  const [decision, limited] = await Promise.all([decideAccess(env.DB, access, message), isRateLimited(env, config, limitKey)]);
  if (decision.kind === "ignore") return `ignored: ${decision.reason}`;
  if (decision.kind === "pair") {
    const claim = `pairing:${eventKey}`;
    if (!(await claimChannelEvent(env.DB, claim))) return "pairing: duplicate";
    try {
      const outcome = await new PairingStore(env.DB).request({ channel: adapter.name, senderId: message.senderId, senderName: message.senderName, chatId: message.chatId });
      await adapter.outbound.send({ env, config, target, text: outcome.kind === "code" ? pairingCodeText(outcome.code) : PAIRING_FULL_TEXT });
      log({ event: "pairing_requested", channel: adapter.name, sender: message.senderId, isNew: outcome.kind === "code" && outcome.isNew });
    } catch (err) {
      // Not answered: the redelivery must be able to answer (the pending request keeps the same code).
      await releaseChannelEvent(env.DB, claim);
      throw err;
    }
    return "pairing";
  }
  if (limited) {
    // One notice per sender per window: the first message over the limit is told, the rest are dropped.
    const window = Math.floor(Date.now() / (config.channels.rateLimit.periodS * 1000));
    if (await claimChannelEvent(env.DB, `ratelimit:${limitKey}:${window}`)) await adapter.outbound.send({ env, config, target, text: RATE_LIMIT_TEXT });
    return "rate limited";
  }
  const workspaceId = workspaceIdFor(config, message);
  const media = await downloadAll(adapter, env, config, files, workspaceId, message);
  const sessionKey = conversationKey(config, message, adapter.sessionKey(message));
  const request: TurnRequest = {
    sessionKey,
    workspaceId,
    message: { ...message, media: [...(message.media ?? []), ...media.refs], text: media.note ? `${message.text}\n\n${media.note}`.trim() : message.text },
    dedupeKey: message.eventId ? eventKey : undefined,
  };
  const result = await env.SESSIONS.getByName(sessionKey).submit(request);
  if (result.duplicate) return "duplicate";
  if (adapter.acknowledge) {
    await adapter.acknowledge({ env, config, message }).catch((err) => log({ event: "channel_ack_failed", channel: adapter.name, error: String(err).slice(0, 200) }));
  }
  return "stored";
}

/** A file that cannot be fetched does not lose the message: the model is told it is missing. */
async function downloadAll(adapter: ChannelAdapter, env: Env, config: Config, files: PlatformFile[], workspaceId: string, message: InboundMessage): Promise<{ refs: MediaRef[]; note?: string }> {
  if (!files.length || !adapter.downloadFiles) return { refs: [] };
  try {
    return { refs: await adapter.downloadFiles({ env, config, files, workspaceId }) };
  } catch (err) {
    log({ event: "channel_file_failed", channel: adapter.name, chat: message.chatId, error: String(err).slice(0, 200) });
    return { refs: [], note: `[The user attached ${files.length} file(s) that could not be downloaded.]` };
  }
}
