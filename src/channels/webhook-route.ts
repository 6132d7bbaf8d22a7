import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { claimChannelEvent, PairingStore } from "../pairing/pairing-store.ts";
import type { InboundMessage, MediaRef, TurnRequest } from "../session/inbound.ts";
import { workspaceIdFor } from "../session/workspace-id.ts";
import { decideAccess, PAIRING_FULL_TEXT, pairingCodeText } from "./access-control.ts";
import { RATE_LIMIT_TEXT, isRateLimited } from "./rate-limit.ts";
import { channelFor } from "./registry.ts";
import type { ChannelAdapter, PlatformFile, WebhookInput } from "./types.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));
const ok = () => new Response("ok", { status: 200 });

/**
 * `POST /webhooks/:channel`: verify → parse → access control → rate limit → files → session inbox.
 * The answer goes back as soon as the session has stored the message; the turn runs in its alarm, so the
 * platform never waits for the model (Slack gives up after 3 s and retries).
 */
export const webhookRoutes = new Hono<AppEnv>().post("/:channel", async (c) => {
  const started = Date.now();
  const adapter = channelFor(c.req.param("channel"));
  const config = c.get("config");
  const access = adapter?.access(config);
  if (!adapter || !access) return c.json({ ok: false, error: `Channel '${c.req.param("channel")}' is not enabled. Set channels.${c.req.param("channel")}.enabled in the config.` }, 404);
  const input: WebhookInput = { request: c.req.raw, rawBody: await c.req.text(), env: c.env, config };
  if (!(await adapter.verify(input))) {
    log({ event: "webhook_rejected", channel: adapter.name });
    return c.json({ ok: false, error: "invalid signature" }, 401);
  }
  const outcome = await adapter.parse(input);
  if (outcome.kind === "respond") return outcome.response;
  if (outcome.kind === "ignore") {
    log({ event: "webhook_ignored", channel: adapter.name, reason: outcome.reason });
    return ok();
  }
  const status = await dispatch(adapter, input, outcome.message, outcome.files, access);
  log({ event: "webhook", channel: adapter.name, status, ms: Date.now() - started });
  return ok();
});

async function dispatch(
  adapter: ChannelAdapter,
  { env, config }: WebhookInput,
  message: InboundMessage,
  files: PlatformFile[],
  access: NonNullable<ReturnType<ChannelAdapter["access"]>>,
): Promise<string> {
  const target = { chatId: message.chatId, threadId: message.threadId };
  const eventKey = `${adapter.name}:${message.eventId ?? crypto.randomUUID()}`;
  const limitKey = `${adapter.name}:${message.senderId}`;
  // Both are round trips (D1, the counter object): run them together to keep the ack short. A sender who is
  // not let in still counts against their limit, which also slows down pairing-code spam.
  const [decision, limited] = await Promise.all([decideAccess(env.DB, access, message), isRateLimited(env, config, limitKey)]);
  if (decision.kind === "ignore") return `ignored: ${decision.reason}`;
  if (decision.kind === "pair") {
    if (!(await claimChannelEvent(env.DB, `pairing:${eventKey}`))) return "pairing: duplicate";
    const outcome = await new PairingStore(env.DB).request({ channel: adapter.name, senderId: message.senderId, senderName: message.senderName, chatId: message.chatId });
    await adapter.outbound.send({ env, config, target, text: outcome.kind === "code" ? pairingCodeText(outcome.code) : PAIRING_FULL_TEXT });
    log({ event: "pairing_requested", channel: adapter.name, sender: message.senderId, isNew: outcome.kind === "code" && outcome.isNew });
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
  const sessionKey = adapter.sessionKey(message);
  const request: TurnRequest = {
    sessionKey,
    workspaceId,
    message: { ...message, media: [...(message.media ?? []), ...media.refs], text: media.note ? `${message.text}\n\n${media.note}`.trim() : message.text },
    dedupeKey: message.eventId ? eventKey : undefined,
  };
  const result = await env.SESSIONS.getByName(sessionKey).submit(request);
  return result.duplicate ? "duplicate" : "stored";
}

/** A file that cannot be fetched does not lose the message: the model is told it is missing. */
async function downloadAll(adapter: ChannelAdapter, env: WebhookInput["env"], config: WebhookInput["config"], files: PlatformFile[], workspaceId: string, message: InboundMessage): Promise<{ refs: MediaRef[]; note?: string }> {
  if (!files.length || !adapter.downloadFiles) return { refs: [] };
  try {
    return { refs: await adapter.downloadFiles({ env, config, files, workspaceId }) };
  } catch (err) {
    log({ event: "channel_file_failed", channel: adapter.name, chat: message.chatId, error: String(err).slice(0, 200) });
    return { refs: [], note: `[The user attached ${files.length} file(s) that could not be downloaded.]` };
  }
}
