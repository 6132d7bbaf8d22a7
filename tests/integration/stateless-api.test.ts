/**
 * API requests without a session keep nothing: their tools work in a workspace of the request's own that is
 * deleted before the response ends, and `Idempotency-Key` answers a retry from the first reply.
 */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

const headers = (extra: Record<string, string> = {}) => ({ authorization: "Bearer key-123", "content-type": "application/json", ...extra });

const chat = (text: string, extra: Record<string, unknown> = {}, extraHeaders: Record<string, string> = {}) =>
  SELF.fetch("https://gw/v1/chat/completions", { method: "POST", headers: headers(extraHeaders), body: JSON.stringify({ model: "test-model", messages: [{ role: "user", content: text }], ...extra }) });

/** Every R2 key of a throwaway workspace that holds `name` (none may outlive its request). */
async function leftovers(name: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.WORKSPACE.list({ prefix: "workspaces/main@scratch-", cursor });
    keys.push(...page.objects.map((o) => o.key).filter((k) => k.includes(name)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys;
}

/** The tool results of the last model request containing `token`. */
async function toolResults(token: string): Promise<string[]> {
  const last = (await llmRequests(token)).at(-1)!.body.messages as Array<{ role: string; content: string }>;
  return last.filter((m) => m.role === "tool").map((m) => m.content);
}

const fileTurn = (file: string, token: string) =>
  scriptLlm(token, [
    { toolCalls: [{ name: "write_file", arguments: { path: file, content: `draft ${token}` } }] },
    { toolCalls: [{ name: "read_file", arguments: { path: file } }] },
    { content: "Drafted." },
  ]);

describe("stateless API requests", () => {
  it("should let tools write during the request and keep none of it afterwards, streamed or not", async () => {
    for (const stream of [false, true]) {
      const token = uniqueToken("stateless");
      const file = `draft-${token}.txt`;
      await fileTurn(file, token);
      const res = await chat(`write a draft ${token}`, { stream });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain("Drafted.");
      const [written, read] = await toolResults(token);
      expect(written).toContain("Successfully wrote");
      expect(read).toContain(`draft ${token}`);
      // Gone once the response has ended: not in the agent's workspace, not in the request's own.
      expect(await env.WORKSPACE.head(`workspaces/main/${file}`)).toBeNull();
      expect(await leftovers(file)).toEqual([]);
    }
  });

  it("should start from the agent's own prompt files and never write them", async () => {
    const token = uniqueToken("home");
    const home = "main@api-stateless";
    const marker = `The user is called ${token}.`;
    await env.WORKSPACE.put(`workspaces/${home}/USER.md`, `# User\n\n${marker}\n`);
    await env.WORKSPACE.put(`workspaces/${home}/skills/${token}/SKILL.md`, `---\nname: ${token}\ndescription: a skill of the home workspace\n---\nSteps.\n`);
    await scriptLlm(token, [{ toolCalls: [{ name: "write_file", arguments: { path: "USER.md", content: "# User\n\nforgotten" } }] }, { content: "Updated." }]);
    const config = testConfig(standIns());
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("https://gw/v1/chat/completions", { method: "POST", headers: headers(), body: JSON.stringify({ messages: [{ role: "user", content: `forget me ${token}` }] }) }),
      { ...env, NANOBOT_CONFIG: JSON.stringify({ ...config, agents: { ...config.agents, isolation: "user" } }) },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const [first] = await llmRequests(token);
    expect(first.body.messages[0].content).toContain(marker);
    expect(first.body.messages[0].content).toContain(`**${token}** — a skill of the home workspace`);
    expect(await (await env.WORKSPACE.get(`workspaces/${home}/USER.md`))?.text()).toContain(marker);
  });

  it("should answer a retry with the same Idempotency-Key from the first reply, without a second model run", async () => {
    const token = uniqueToken("idem");
    await scriptLlm(token, [{ content: `first answer ${token}` }, { content: "a second run" }]);
    const key = { "idempotency-key": token };
    const first = (await (await chat(`once ${token}`, {}, key)).json()) as any;
    const again = (await (await chat(`once ${token}`, {}, key)).json()) as any;
    const streamed = await (await chat(`once ${token}`, { stream: true }, key)).text();
    expect(first.choices[0].message.content).toBe(`first answer ${token}`);
    expect(again.choices[0].message.content).toBe(`first answer ${token}`);
    expect(streamed).toContain(`first answer ${token}`);
    expect(await llmRequests(token)).toHaveLength(1);
    // Another key is another request.
    const other = (await (await chat(`once ${token}`, {}, { "idempotency-key": `${token}-2` })).json()) as any;
    expect(other.choices[0].message.content).toBe("a second run");
  });

  it("should refuse a retry while the first request with that key still runs (409), then replay it", async () => {
    const token = uniqueToken("idemrace");
    await scriptLlm(token, [{ content: `slow answer ${token}`, delayMs: 1500 }]);
    const key = { "idempotency-key": token };
    const first = chat(`race ${token}`, {}, key);
    await new Promise((r) => setTimeout(r, 400));
    const second = await chat(`race ${token}`, {}, key);
    expect(second.status).toBe(409);
    expect(((await second.json()) as any).error.code).toBe("idempotency_key_in_use");
    expect(((await (await first).json()) as any).choices[0].message.content).toBe(`slow answer ${token}`);
    const third = (await (await chat(`race ${token}`, {}, key)).json()) as any;
    expect(third.choices[0].message.content).toBe(`slow answer ${token}`);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should run a retry again when the first request with that key failed", async () => {
    const token = uniqueToken("idemfail");
    await scriptLlm(token, [{ status: 400, body: JSON.stringify({ error: { message: "bad request", type: "invalid_request_error" } }) }, { content: `second try ${token}` }]);
    const key = { "idempotency-key": token };
    const failed = await chat(`fail once ${token}`, {}, key);
    expect(failed.status).toBeGreaterThanOrEqual(400);
    const retried = (await (await chat(`fail once ${token}`, {}, key)).json()) as any;
    expect(await llmRequests(token)).toHaveLength(2);
    expect(retried.choices[0].message.content).toBe(`second try ${token}`);
  });

  it("should forget a stateless reply after 24 hours", async () => {
    const token = uniqueToken("idemold");
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`chat\u0000${token}`));
    const id = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const old = { content: "yesterday's answer", model: "test-model", usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "completed" };
    await env.WORKSPACE.put(`api-idempotency/${id}.json`, JSON.stringify({ reply: old, at: Date.now() - 24 * 3600_000 - 1000 }));
    const fresh = (await (await chat(`today ${token}`, {}, { "idempotency-key": token })).json()) as any;
    expect(fresh.choices[0].message.content).toBe(`echo: today ${token}`);
  });

  it("should keep nothing of a Responses API request with store false, and honour its Idempotency-Key", async () => {
    const token = uniqueToken("respnostore");
    const file = `resp-${token}.txt`;
    await fileTurn(file, token);
    const create = () =>
      SELF.fetch("https://gw/v1/responses", { method: "POST", headers: headers({ "idempotency-key": token }), body: JSON.stringify({ model: "test-model", input: `draft ${token}`, store: false }) });
    const first = (await (await create()).json()) as any;
    const again = (await (await create()).json()) as any;
    const text = (r: any) => r.output.filter((o: any) => o.type === "message").flatMap((o: any) => o.content.map((p: any) => p.text)).join("");
    expect(text(first)).toBe("Drafted.");
    expect(text(again)).toBe("Drafted.");
    expect(await llmRequests(token)).toHaveLength(3);
    expect(await env.WORKSPACE.head(`workspaces/main/${file}`)).toBeNull();
    expect(await leftovers(file)).toEqual([]);
  });
});
