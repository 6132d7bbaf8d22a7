import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { SessionDO } from "../../durable-objects/session-do.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";

/** One turn through the OpenAI-compatible API of the real Worker; returns the reply text. */
export async function apiReply(session: string, text: string): Promise<string> {
  const { SELF } = await import("cloudflare:test");
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
  });
  if (!res.ok) throw new Error(`API answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
}

export function chatRequest(sessionKey: string, workspaceId: string, text: string): TurnRequest {
  const chatId = sessionKey.split(":").slice(1).join(":");
  return { sessionKey, workspaceId, message: { channel: "api", chatId, senderId: chatId, text } };
}

export const stubFor = (sessionKey: string) => env.SESSIONS.getByName(sessionKey);

/** Every stored message of a session, oldest first (parsed bodies). */
export async function storedMessages(stub: DurableObjectStub<SessionDO>): Promise<Array<{ id: number; message: ChatMessage }>> {
  return runInDurableObject(stub, (_i, state) =>
    state.storage.sql
      .exec("SELECT id, body FROM messages ORDER BY id")
      .toArray()
      .map((r) => ({ id: r.id as number, message: JSON.parse(r.body as string) as ChatMessage })),
  );
}

export async function metaValue<T>(stub: DurableObjectStub<SessionDO>, key: string): Promise<T | undefined> {
  return runInDurableObject(stub, (_i, state) => {
    const row = state.storage.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value as string) as T) : undefined;
  });
}

export async function scheduleRows(stub: DurableObjectStub<SessionDO>, kind: string) {
  return runInDurableObject(stub, (_i, state) =>
    state.storage.sql.exec("SELECT key, kind, due_at, payload FROM schedule WHERE kind = ? ORDER BY due_at", kind).toArray(),
  );
}

/** Moves a timer row to "now", as if its time had come. */
export async function makeDue(stub: DurableObjectStub<SessionDO>, key: string): Promise<void> {
  await runInDurableObject(stub, async (_i, state) => {
    state.storage.sql.exec("UPDATE schedule SET due_at = ? WHERE key = ?", Date.now() - 1, key);
    await state.storage.setAlarm(Date.now());
  });
}

export const textOf = (m: ChatMessage) =>
  typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => ("text" in p ? p.text : "")).join(" ");

/** Polls until `check` returns a truthy value (alarms also fire on their own in the test runtime). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function readWorkspaceFile(workspaceId: string, path: string): Promise<string | null> {
  const obj = await env.WORKSPACE.get(`workspaces/${workspaceId}/${path}`);
  return obj ? obj.text() : null;
}

/** A slash command's answer: inline for quick ones, from the alarm for those that wait on a model (/dream, /new). */
export async function commandAnswer(stub: DurableObjectStub<SessionDO>, request: TurnRequest): Promise<string | undefined> {
  const submitted = await stub.submit(request);
  if (submitted.reply) return submitted.reply.content;
  await runDurableObjectAlarm(stub);
  return runInDurableObject(stub, (_i, state) => {
    const row = state.storage.sql.exec("SELECT reply FROM inbox WHERE id = ?", submitted.inboxId).toArray()[0];
    return row?.reply ? (JSON.parse(row.reply as string) as { content: string }).content : undefined;
  });
}
