import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.ts";
import { timingSafeEqual } from "../security/timing-safe-equal.ts";
import { sessionStub } from "../session-protocol/session-client.ts";
import { findTrigger, hashToken, markFired } from "../triggers/trigger-store.ts";

export const triggersRoute = new Hono<AppEnv>();

const MAX_MESSAGE_CHARS = 16_000;

const fail = (status: 400 | 401, message: string) => new HTTPException(status, { res: Response.json({ error: { message } }, { status }) });

/**
 * `POST /triggers/<id>` with `Authorization: Bearer <token>`; body `{"message": "…"}` or plain text. The
 * message is stored in the session's inbox before 202 is answered (at-least-once), and runs as an
 * automation turn once the session is free. `Idempotency-Key` makes retries safe.
 */
triggersRoute.post("/:id", async (c) => {
  const header = c.req.header("authorization") ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1]?.trim() ?? "";
  const trigger = await findTrigger(c.env.DB, c.req.param("id"));
  // Unknown id and wrong token answer the same, so ids cannot be probed.
  if (!trigger || !token || !(await timingSafeEqual(await hashToken(token), trigger.tokenHash))) {
    throw fail(401, "Invalid trigger id or token. Use the id and token printed by /trigger <name>.");
  }
  const type = c.req.header("content-type") ?? "";
  const raw = await c.req.text();
  let message = raw;
  if (type.includes("json")) {
    try {
      message = String((JSON.parse(raw) as { message?: unknown }).message ?? "");
    } catch {
      throw fail(400, 'Body is not valid JSON; send {"message": "…"} or plain text.');
    }
  }
  message = message.trim();
  if (!message) throw fail(400, 'The message is empty; send {"message": "…"} or plain text.');
  const key = c.req.header("idempotency-key");
  const result = await sessionStub(c.env, trigger.sessionKey).submit({
    sessionKey: trigger.sessionKey,
    workspaceId: trigger.workspaceId,
    message: { channel: trigger.channel, chatId: trigger.chatId, senderId: `trigger:${trigger.id}`, text: `[Trigger '${trigger.name}'] ${message.slice(0, MAX_MESSAGE_CHARS)}` },
    dedupeKey: key ? `trigger:${trigger.id}:${key}` : undefined,
    automation: "trigger",
  });
  await markFired(c.env.DB, trigger.id);
  return c.json({ accepted: true, inboxId: result.inboxId, duplicate: result.duplicate }, 202);
});
