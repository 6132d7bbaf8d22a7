import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";

function chat(text: string, stream = false): Promise<Response> {
  return SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify({ session_id: uniqueToken("s"), stream, messages: [{ role: "user", content: text }] }),
  });
}

const answer = async (res: Response) => ((await res.json()) as any).choices[0].message.content as string;

describe("provider faults seen through the API", () => {
  it("should wait for Retry-After on a 429 and then answer", async () => {
    const token = uniqueToken("429");
    await scriptLlm(token, [{ status: 429, headers: { "retry-after": "1" } }, { content: "after the wait" }]);
    const res = await chat(`busy ${token}`);
    expect(res.status).toBe(200);
    expect(await answer(res)).toBe("after the wait");
    const requests = await llmRequests(token);
    expect(requests).toHaveLength(2);
  });

  it("should retry a 500 and answer", async () => {
    const token = uniqueToken("500");
    await scriptLlm(token, [{ status: 500 }, { content: "recovered" }]);
    expect(await answer(await chat(`flaky ${token}`))).toBe("recovered");
  });

  it("should retry a request that never answers after the configured timeout", async () => {
    const token = uniqueToken("hang");
    await scriptLlm(token, [{ hang: true }, { content: "second try" }]);
    expect(await answer(await chat(`slow ${token}`))).toBe("second try");
  });

  it("should not retry an exhausted quota and say so in one clear error", async () => {
    const token = uniqueToken("quota");
    const body = JSON.stringify({ error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } });
    await scriptLlm(token, [{ status: 429, body }, { status: 429, body }]);
    const res = await chat(`pay ${token}`);
    expect(res.status).toBe(502);
    const error = ((await res.json()) as any).error;
    expect(error.message).toContain("out of credit or quota");
    expect(error.message).not.toMatch(/at .*\.ts:\d+/);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should turn a malformed provider body into one clear error, also when streaming", async () => {
    const token = uniqueToken("garbage");
    await scriptLlm(token, [{ body: "<html>proxy error</html>" }, { body: "<html>proxy error</html>" }]);
    const res = await chat(`garbage ${token}`, true);
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(((await res.json()) as any).error.message).toContain("could not be understood");
  });

  it("should keep the session usable after a failed turn", async () => {
    const token = uniqueToken("after");
    const session = uniqueToken("s");
    await scriptLlm(token, [{ status: 400, body: JSON.stringify({ error: { message: "bad request" } }) }]);
    const send = (text: string) =>
      SELF.fetch("https://gw/v1/chat/completions", {
        method: "POST",
        headers: { authorization: "Bearer key-123", "content-type": "application/json" },
        body: JSON.stringify({ session_id: session, messages: [{ role: "user", content: text }] }),
      });
    expect((await send(`fail ${token}`)).status).toBe(502);
    const ok = await send("and now?");
    expect(await answer(ok)).toBe("echo: and now?");
  });
});
