import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { uniqueToken } from "../support/llm-script.ts";

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json", ...headers },
    body,
  });

async function sessionRows(sessionKey: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE session_key = ?").bind(sessionKey).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Calls the Worker with a different config, as a deploy with that NANOBOT_CONFIG would run. */
async function withConfig(config: unknown, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://gw${path}`, init), { ...env, NANOBOT_CONFIG: typeof config === "string" ? config : JSON.stringify(config) }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("API input errors", () => {
  it("should answer 401 in OpenAI's shape without or with a wrong bearer key", async () => {
    const missing = await SELF.fetch("https://gw/v1/models");
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { message: "Missing Authorization header. Use: Bearer <api_key>", type: "authentication_error", code: "missing_api_key" } });
    const wrong = await SELF.fetch("https://gw/v1/models", { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as any).error.message).toBe("Invalid API key");
  });

  it("should keep the API closed with 403 and say how to open it when no key is configured", async () => {
    const res = await withConfig({ api: { apiKey: "" } }, "/v1/models", { headers: { authorization: "Bearer key-123" } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain("api.apiKey");
  });

  it("should reject malformed JSON with 400 and store nothing", async () => {
    const session = uniqueToken("bad");
    const res = await post(`{"session_id":"${session}","messages":[{"role":"user","content":"hi"}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/^Invalid JSON body/);
    expect(await sessionRows(`api:${session}`)).toBe(0);
  });

  it("should reject a wrong content type with 415", async () => {
    const res = await post("hello", { "content-type": "text/plain" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error.message).toContain("application/json");
  });

  it("should reject a 10 MB body with 413 and store nothing", async () => {
    const session = uniqueToken("big");
    const huge = JSON.stringify({ session_id: session, messages: [{ role: "user", content: "x".repeat(10 * 1024 * 1024) }] });
    const res = await post(huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error.code).toBe("request_too_large");
    expect(await sessionRows(`api:${session}`)).toBe(0);
  });

  it("should reject an unknown model with 404 listing the available ones", async () => {
    const session = uniqueToken("model");
    const res = await post(JSON.stringify({ model: "gpt-9", session_id: session, messages: [{ role: "user", content: "hi" }] }));
    expect(res.status).toBe(404);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe("model_not_found");
    expect(body.error.message).toContain("test-model");
    expect(await sessionRows(`api:${session}`)).toBe(0);
  });

  it("should reject requests whose messages are missing or end without a user message", async () => {
    expect((await post(JSON.stringify({ messages: [] }))).status).toBe(400);
    const res = await post(JSON.stringify({ messages: [{ role: "assistant", content: "hi" }] }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toContain("role 'user'");
  });

  it("should refuse remote image URLs instead of fetching them", async () => {
    const res = await post(JSON.stringify({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "http://169.254.169.254/x.png" } }] }] }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("unsupported_image_url");
  });

  it("should answer 404 in JSON for unknown routes", async () => {
    const res = await SELF.fetch("https://gw/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as any).error.code).toBe("not_found");
  });
});

describe("invalid config", () => {
  it("should make /health answer 503 naming the config path, without secrets", async () => {
    const res = await withConfig({ providers: { custom: { apiKey: "sk-secret-123" } }, agents: { defaults: { maxTokens: "many" } } }, "/health");
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.status).toBe("error");
    expect(body.error).toMatch(/^agents\.defaults\.maxTokens: expected number/);
    expect(JSON.stringify(body)).not.toContain("sk-secret-123");
  });

  it("should make every other route answer 500 with the same message", async () => {
    const res = await withConfig({ agents: { defaults: { maxTokens: "many" } } }, "/v1/models", { headers: { authorization: "Bearer key-123" } });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("agents.defaults.maxTokens: expected number");
  });

  it("should report a missing ${VAR} by variable and path", async () => {
    const res = await withConfig({ api: { apiKey: "${NOT_SET_ANYWHERE}" } }, "/health");
    expect(res.status).toBe(503);
    expect(((await res.json()) as any).error).toMatch(/^api\.apiKey: environment variable 'NOT_SET_ANYWHERE' is not set \(locally: add NOT_SET_ANYWHERE=… to \.dev\.vars/);
  });

  it("should interpolate ${VAR} from the Worker's vars", async () => {
    const res = await withConfig({ api: { apiKey: "${TEST_SECRET_VALUE}" } }, "/v1/models", { headers: { authorization: "Bearer interpolated-secret" } });
    expect(res.status).toBe(200);
  });
});
