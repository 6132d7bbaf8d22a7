import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionDO } from "../../durable-objects/session-do.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

function request(sessionKey: string, text: string): TurnRequest {
  return { sessionKey, workspaceId: "main", message: { channel: "api", chatId: sessionKey, senderId: "tester", text } };
}

const inboxRows = (stub: DurableObjectStub<SessionDO>) =>
  runInDurableObject(stub, (_instance, state) => state.storage.sql.exec("SELECT id, status, reply, attempts FROM inbox").toArray());

describe("crash safety of a session", () => {
  it("should store a submitted message before answering and run it from the alarm", async () => {
    const token = uniqueToken("submit");
    const key = `api:${token}`;
    const stub = env.SESSIONS.getByName(key);
    await scriptLlm(token, [{ content: "processed by the alarm" }]);
    const result = await stub.submit(request(key, `hello ${token}`));
    expect(result.duplicate).toBe(false);
    const stored = await inboxRows(stub);
    expect(stored).toHaveLength(1);
    await runDurableObjectAlarm(stub);
    const [row] = await inboxRows(stub);
    expect(row.status).toBe("done");
    expect(JSON.parse(row.reply as string).content).toBe("processed by the alarm");
  });

  it("should store a redelivered message once and never answer it twice", async () => {
    const token = uniqueToken("dedupe");
    const key = `api:${token}`;
    const stub = env.SESSIONS.getByName(key);
    const req = { ...request(key, `once ${token}`), dedupeKey: `evt-${token}` };
    const first = await stub.submit(req);
    const second = await stub.submit(req);
    expect(second).toMatchObject({ duplicate: true, inboxId: first.inboxId });
    await runDurableObjectAlarm(stub);
    await stub.submit(req);
    await runDurableObjectAlarm(stub);
    expect(await inboxRows(stub)).toHaveLength(1);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should resume a turn whose object died mid-tool and answer exactly once", async () => {
    const token = uniqueToken("crash");
    const key = `api:${token}`;
    const stub = env.SESSIONS.getByName(key);
    await scriptLlm(token, [{ content: "finished after the crash" }]);
    // State as a crash leaves it: the row is claimed, the user message and the model's tool call are stored,
    // the tool result never was, and the lease has run out.
    await runInDurableObject(stub, async (instance, state) => {
      const internals = instance as unknown as {
        inbox: { insert(r: TurnRequest): { row: { id: number } } };
        messages: { append(m: unknown, turn: number): Promise<number> };
        meta: { set(k: string, v: unknown): void };
        schedule: { set(key: string, kind: string, due: number): Promise<void> };
      };
      internals.meta.set("session_key", key);
      const { row } = internals.inbox.insert(request(key, `do the thing ${token}`));
      state.storage.sql.exec("UPDATE inbox SET status = 'running', attempts = 1, lease_until = 0 WHERE id = ?", row.id);
      await internals.messages.append({ role: "user", content: `do the thing ${token}` }, row.id);
      await internals.messages.append({ role: "assistant", content: null, toolCalls: [{ id: "call_lost", name: "list_dir", arguments: "{\"path\":\".\"}" }] }, row.id);
      await internals.schedule.set("inbox", "inbox", Date.now() + 3_600_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [row] = await inboxRows(stub);
    expect(row.status).toBe("done");
    expect(row.attempts).toBe(2);
    expect(JSON.parse(row.reply as string).content).toBe("finished after the crash");
    const [sent] = await llmRequests(token);
    const messages = sent.body.messages as Array<{ role: string; content: unknown; tool_call_id?: string }>;
    expect(messages.filter((m) => m.role === "user" && String(m.content).includes(token))).toHaveLength(1);
    expect(messages.find((m) => m.role === "tool" && m.tool_call_id === "call_lost")?.content).toContain("interrupted");
    // Nothing else is pending, so another alarm does not call the model again.
    await runDurableObjectAlarm(stub);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should give up on a message that keeps crashing and say so", async () => {
    const token = uniqueToken("poison");
    const key = `api:${token}`;
    const stub = env.SESSIONS.getByName(key);
    await runInDurableObject(stub, async (instance, state) => {
      const internals = instance as unknown as {
        inbox: { insert(r: TurnRequest): { row: { id: number } } };
        meta: { set(k: string, v: unknown): void };
        schedule: { set(key: string, kind: string, due: number): Promise<void> };
      };
      internals.meta.set("session_key", key);
      const { row } = internals.inbox.insert(request(key, `poison ${token}`));
      state.storage.sql.exec("UPDATE inbox SET status = 'running', attempts = 3, lease_until = 0 WHERE id = ?", row.id);
      await internals.schedule.set("inbox", "inbox", Date.now() + 3_600_000);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const [row] = await inboxRows(stub);
    expect(JSON.parse(row.reply as string).content).toContain("could not be processed after several attempts");
    expect(await llmRequests(token)).toHaveLength(0);
  });
});
