import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";

/** Calls the Worker as a deploy whose NANOBOT_CONFIG holds `text` would run. */
async function withConfigText(text: string, path: string, init?: RequestInit): Promise<{ res: Response; ms: number }> {
  const ctx = createExecutionContext();
  const started = Date.now();
  const res = await worker.fetch(new Request(`https://gw${path}`, init), { ...env, NANOBOT_CONFIG: text }, ctx);
  await waitOnExecutionContext(ctx);
  return { res, ms: Date.now() - started };
}

const chat = { method: "POST", headers: { authorization: "Bearer key-123", "content-type": "application/json" }, body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }) };

describe("config errors on every route", () => {
  const trailingComma = '{\n  "api": { "apiKey": "sk-secret-in-config" },\n}';
  const expected = "NANOBOT_CONFIG: line 3, column 1: trailing comma before '}' (remove the last comma)";

  it("should answer /health with 503 and the line and column of a syntax error, at once", async () => {
    const { res, ms } = await withConfigText(trailingComma, "/health");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "error", error: expected });
    expect(ms).toBeLessThan(1000);
  });

  it("should answer the API with an OpenAI-shaped 500 carrying the same message, and no secret", async () => {
    const { res } = await withConfigText(trailingComma, "/v1/chat/completions", chat);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { message: `Invalid configuration: ${expected}`, type: "server_error", code: "invalid_config" } });
    expect(text).not.toContain("sk-secret-in-config");
  });

  it("should answer every other route with 500 and the message", async () => {
    for (const path of ["/webui/token", "/admin/pairing", "/nope"]) {
      const { res } = await withConfigText(trailingComma, path);
      expect(res.status, path).toBe(500);
      expect(await res.json(), path).toEqual({ status: "error", error: expected });
    }
  });

  it("should report an unknown key with the closest known one and a wrong type by its type name", async () => {
    const unknown = await withConfigText('{"agents": {"defaults": {"modle": "x"}}}', "/health");
    expect(unknown.res.status).toBe(503);
    expect(((await unknown.res.json()) as { error: string }).error).toBe('agents.defaults.modle: unknown key (did you mean "model"?)');
    const wrongType = await withConfigText('{"api": {"apiKey": 42}}', "/v1/models", { headers: { authorization: "Bearer key-123" } });
    expect(wrongType.res.status).toBe(500);
    expect(((await wrongType.res.json()) as { error: { message: string } }).error.message).toBe("Invalid configuration: api.apiKey: expected string, got number");
  });

  it("should tell on /health which config revision it runs, valid or not", async () => {
    const ok = await withConfigText("", "/health");
    expect(ok.res.status).toBe(200);
    expect(ok.res.headers.get("x-nanobot-config-revision")).toBe("test");
    const bad = await withConfigText("{,}", "/health");
    expect(bad.res.headers.get("x-nanobot-config-revision")).toBe("test");
  });
});
