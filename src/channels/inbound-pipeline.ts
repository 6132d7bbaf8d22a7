import { claimChannelEvent, PairingStore, releaseChannelEvent } from "../pairing/pairing-store.ts";
import type { InboundMessage, TurnRequest } from "../session-protocol/inbound.ts";
import { conversationKey } from "../session-protocol/session-key.ts";
import { workspaceIdFor } from "../session-protocol/workspace-id.ts";
import { decideAccess, PAIRING_FULL_TEXT, pairingCodeText } from "./access-control.ts";
import { RATE_LIMIT_TEXT, isRateLimited } from "./rate-limit.ts";
import type { ChannelAccess, ChannelAdapter, InboundInput, PlatformFile } from "./types.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

export type InboundResult = { kind: "respond"; response: Response } | { kind: "done"; status: string };

/**
 * Everything after authentication, shared by every way an update arrives (a verified webhook, a polled
 * `getUpdates` batch): parse → access control/pairing → rate limit → session inbox. The dedupe key is
 * `<channel>:<eventId>` (Telegram's update_id) however the update came, so a webhook redelivery and a poll of
 * the same update are one message. Files are only named here; the session's alarm downloads them, as it runs
 * slow slash commands, so the platform gets its answer as soon as the message is stored. Resolves once the session has stored it; throws when it could not, so the
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
  // A platform's redelivery (Slack retries after 3 s, Telegram after an error, or a storm of both) stops here,
  // before it counts against the sender's rate limit and draws a "too fast" notice; the session dedupes too.
  const seenKey = message.eventId ? `seen:${eventKey}` : null;
  const [first, decision] = await Promise.all([seenKey ? claimChannelEvent(env.DB, seenKey) : true, decideAccess(env.DB, access, message)]);
  if (!first) return "duplicate";
  try {
    return await admit(adapter, { env, config }, message, files, decision, { target, eventKey, limitKey });
  } catch (err) {
    // Not stored: the platform's redelivery must get through.
    if (seenKey) await releaseChannelEvent(env.DB, seenKey).catch(() => undefined);
    throw err;
  }
}

async function admit(
  adapter: ChannelAdapter,
  { env, config }: Pick<InboundInput, "env" | "config">,
  message: InboundMessage,
  files: PlatformFile[],
  decision: Awaited<ReturnType<typeof decideAccess>>,
  keys: { target: { chatId: string; threadId?: string }; eventKey: string; limitKey: string },
): Promise<string> {
  const { target, eventKey, limitKey } = keys;
  // A sender who is not let in still counts against their limit, which also slows down pairing-code spam.
  const limited = await isRateLimited(env, config, limitKey);
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
  // A channel that does not say whether a chat is a group is treated as one: with isolation "user" its
  // members then get a session each, which is private whatever the chat turns out to be.
  const sessionKey = conversationKey(config, { ...message, isGroup: message.isGroup !== false }, adapter.sessionKey(message));
  const request: TurnRequest = {
    sessionKey,
    workspaceId,
    message,
    dedupeKey: message.eventId ? eventKey : undefined,
    // Fetched by the session's alarm (pending-files.ts): a slow file host must not hold the acknowledgement.
    ...(files.length && adapter.downloadFiles ? { files } : {}),
  };
  const result = await env.SESSIONS.getByName(sessionKey).submit(request);
  if (result.duplicate) return "duplicate";
  if (adapter.acknowledge) {
    await adapter.acknowledge({ env, config, message }).catch((err) => log({ event: "channel_ack_failed", channel: adapter.name, error: String(err).slice(0, 200) }));
  }
  return "stored";
}
