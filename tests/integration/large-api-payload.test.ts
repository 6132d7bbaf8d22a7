import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { apiReply, stubFor } from "./memory-kit.ts";

const MB = 1024 * 1024;
/** Durable Object SQLite refuses a string or blob over 2 MB in a row. */
const DO_ROW_LIMIT = 2 * MB;

describe("large API messages", () => {
  it("should take a 6 MB message end to end: the model gets all of it, the inbox row stays small, the R2 copy is removed", async () => {
    const session = uniqueToken("big6");
    const token = uniqueToken("six-mb");
    await scriptLlm(token, [{ content: `read all of ${token}` }]);
    const text = `${token} ${"lorem ipsum ".repeat(Math.ceil((6 * MB) / 12))}`.slice(0, 6 * MB);

    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ model: "long", session_id: session, messages: [{ role: "user", content: text }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0].message.content).toBe(`read all of ${token}`);

    const [request] = await llmRequests(token);
    const users = request.body.messages.filter((m: { role: string }) => m.role === "user");
    const last = users[users.length - 1].content;
    expect(typeof last === "string" ? last : JSON.stringify(last)).toContain(text);

    const stub = stubFor(`api:${session}`);
    const rows = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("SELECT length(payload) AS n, status FROM inbox").toArray());
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.n as number).toBeLessThan(DO_ROW_LIMIT / 8);
    const spilled = await env.WORKSPACE.list({ prefix: `sessions/${encodeURIComponent(`api:${session}`)}/inbox/` });
    expect(spilled.objects).toHaveLength(0);

    // The session goes on as before.
    expect(await apiReply(session, "and now something small")).toContain("and now something small");
  }, 60_000);
});
