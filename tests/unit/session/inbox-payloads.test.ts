import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { InboxRow } from "../../../durable-objects/session/inbox-store.ts";
import { INLINE_REQUEST_LIMIT, InboxPayloads } from "../../../durable-objects/session/inbox-payloads.ts";
import type { TurnRequest } from "../../../src/session-protocol/inbound.ts";

const request = (text: string): TurnRequest => ({
  sessionKey: "telegram:77",
  workspaceId: "main",
  dedupeKey: "telegram:upd-1",
  message: { channel: "telegram", chatId: "77", senderId: "77", messageId: "5", text },
});
const rowOf = (r: TurnRequest): InboxRow => ({ id: 1, request: JSON.parse(JSON.stringify(r)), status: "pending", attempts: 0, reply: null, createdAt: 0 });

describe("inbox payloads", () => {
  it("should keep a small request inline and move a large one to R2 behind a stub that still routes", async () => {
    const prefix = `sessions/test-${crypto.randomUUID()}`;
    const payloads = new InboxPayloads(env.WORKSPACE, () => prefix);
    const small = request("hello");
    expect(await payloads.stash(small)).toBe(small);

    const big = request("z".repeat(INLINE_REQUEST_LIMIT + 1));
    const stub = await payloads.stash(big);
    expect(JSON.stringify(stub).length).toBeLessThan(1024);
    expect(stub.message).toMatchObject({ channel: "telegram", chatId: "77", messageId: "5", text: "" });
    expect(stub.dedupeKey).toBe("telegram:upd-1");
    expect((await env.WORKSPACE.list({ prefix: `${prefix}/inbox/` })).objects).toHaveLength(1);

    expect((await payloads.load(rowOf(stub))).request).toEqual(big);
    await payloads.drop(stub);
    expect((await env.WORKSPACE.list({ prefix: `${prefix}/inbox/` })).objects).toHaveLength(0);
    // A copy that is gone (deleted by hand, lifecycle rule) still gives the turn something to answer.
    expect((await payloads.load(rowOf(stub))).request.message.text).toContain("ask the user to send it again");
  });
});
