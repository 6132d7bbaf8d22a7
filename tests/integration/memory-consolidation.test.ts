import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consolidate } from "../../durable-objects/session/memory/consolidator.ts";
import type { MessageStore } from "../../durable-objects/session/message-store.ts";
import type { MetaStore } from "../../durable-objects/session/meta-store.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { readHistory } from "../../src/memory/history-file.ts";
import { createProvider } from "../../src/providers/create-provider.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { apiReply, makeDue, metaValue, storedMessages, stubFor, textOf } from "./memory-kit.ts";

const config = () => {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.config;
};

/** ~4,200 tokens of text; the stand-in echoes it, so one turn adds ~8,400 tokens to the session. */
const filler = (i: number) => `filler ${i}: ${"the quick brown fox jumps over the lazy dog ".repeat(390)}`;

describe("consolidation of long conversations", () => {
  it("should archive early turns to history.jsonl, keep the replay under budget and still carry an early fact", async () => {
    const session = uniqueToken("cons");
    const fact = uniqueToken("Zorblax");
    const summary = `- [permanent] The user's cat is called ${fact}.`;
    await scriptLlm(`Archive of session api:${session}`, [{ content: summary }, { content: "- [ephemeral] filler text" }, { content: "- [ephemeral] more filler" }]);
    await apiReply(session, `Remember this: my cat is called ${fact}.`);
    for (let i = 0; i < 5; i++) await apiReply(session, filler(i));
    const question = uniqueToken("q");
    await apiReply(session, `What is my cat called? ${question}`);

    const entries = (await readHistory(env.WORKSPACE, "main")).filter((e) => e.session === `api:${session}`);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0].summary).toContain(fact);

    const [request] = await llmRequests(question);
    const messages = request.body.messages as Array<{ role: string; content: string }>;
    expect(messages[0].role).toBe("system");
    expect(messages[0].content).toContain(fact);
    // The early turn itself is no longer replayed: only its summary is.
    expect(messages.slice(1).some((m) => String(m.content).includes(`my cat is called ${fact}`))).toBe(false);
    const c = config().agents.defaults;
    const promptTokens = JSON.stringify(messages).length / 4;
    expect(promptTokens).toBeLessThan(c.contextWindowTokens - c.maxTokens);

    const stub = stubFor(`api:${session}`);
    const through = await metaValue<number>(stub, "consolidated_through");
    const all = await storedMessages(stub);
    expect(through).toBeGreaterThan(0);
    expect(all.filter((m) => m.id > through!).length).toBeGreaterThanOrEqual(8);
    // Archived rows are kept in the session's own storage too.
    expect(all.some((m) => textOf(m.message).includes(`my cat is called ${fact}`))).toBe(true);
  });

  it("should keep every message replayable when the summary fails", async () => {
    const session = uniqueToken("consfail");
    const key = `api:${session}`;
    for (let i = 0; i < 6; i++) await apiReply(session, `short turn ${i}`);
    await scriptLlm(`Archive of session ${key}`, [{ content: "" }]);
    const stub = stubFor(key);
    const result = await runInDurableObject(stub, async (instance) => {
      const inner = instance as unknown as { meta: MetaStore; messages: MessageStore };
      const { provider, choice } = createProvider({ config: config(), env });
      return consolidate(
        { env, config: config(), meta: inner.meta, messages: inner.messages, sessionKey: key, workspaceId: "main", provider, model: choice.model },
        Number.POSITIVE_INFINITY,
        "idle",
      );
    });
    expect(result).toMatchObject({ failed: true, archivedMessages: 0 });
    expect(await metaValue(stub, "consolidated_through")).toBeUndefined();
    expect((await readHistory(env.WORKSPACE, "main")).some((e) => e.session === key)).toBe(false);
    const token = uniqueToken("after-fail");
    await apiReply(session, token);
    const [request] = await llmRequests(token);
    expect(JSON.stringify(request.body.messages)).toContain("short turn 0");
  });

  it("should archive all but the last 8 messages when the idle timer fires", async () => {
    const session = uniqueToken("idle");
    const key = `api:${session}`;
    for (let i = 0; i < 6; i++) await apiReply(session, `idle turn ${i}`);
    const stub = stubFor(key);
    const [row] = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("SELECT key, due_at FROM schedule WHERE kind = 'idle-compact'").toArray());
    expect(row.due_at as number).toBeGreaterThan(Date.now() + 10 * 60_000);
    await scriptLlm(`Archive of session ${key}`, [{ content: "- [ephemeral] the user counted idle turns 0 to 3" }]);
    await makeDue(stub, "idle-compact");
    await runDurableObjectAlarm(stub);
    const through = await metaValue<number>(stub, "consolidated_through");
    const live = (await storedMessages(stub)).filter((m) => m.id > (through ?? 0));
    expect(live).toHaveLength(8);
    expect(live[0].message.role).toBe("user");
    const entry = (await readHistory(env.WORKSPACE, "main")).find((e) => e.session === key);
    expect(entry?.summary).toContain("idle turns 0 to 3");
    const [archiveCall] = await llmRequests(`Archive of session ${key}`);
    expect(JSON.stringify(archiveCall.body.messages)).toContain("idle turn 1");
    expect(JSON.stringify(archiveCall.body.messages)).not.toContain("idle turn 5");
  });
});
