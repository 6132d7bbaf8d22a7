import { describe, expect, it } from "vitest";
import { createProvider, requestDefaults } from "../../../src/providers/create-provider.ts";
import { ProviderError } from "../../../src/providers/errors.ts";
import { CircuitBreaker } from "../../../src/providers/fallback.ts";
import type { RetryOptions } from "../../../src/providers/retry.ts";
import type { ChatRequest } from "../../../src/providers/types.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../../support/llm-script.ts";
import { customConfig, recordingSleep, userMessage } from "./kit.ts";

function setup(retry: Partial<RetryOptions>) {
  const { provider, choice } = createProvider({ config: customConfig(), env: {}, retry, breaker: new CircuitBreaker() });
  const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ ...requestDefaults(choice), messages: [userMessage(text)], ...extra });
  return { provider, request };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error("expected the call to fail");
}

describe("retries and timeouts", () => {
  it("should retry a 429 after the Retry-After delay and then succeed", async () => {
    const token = uniqueToken("ratelimit");
    await scriptLlm(token, [
      { status: 429, headers: { "retry-after": "3" }, body: JSON.stringify({ error: { message: "Rate limit reached", type: "rate_limit_exceeded" } }) },
      { content: "finally" },
    ]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    const res = await provider.chat(request(`hi ${token}`));
    expect(res.content).toBe("finally");
    expect(slept).toEqual([3000]);
    expect(await llmRequests(token)).toHaveLength(2);
  });

  it("should retry 500s with backoff 1, 2 s and succeed on the third attempt", async () => {
    const token = uniqueToken("fivehundred");
    await scriptLlm(token, [{ status: 500 }, { status: 503 }, { content: "recovered" }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    expect((await provider.chat(request(`hi ${token}`))).content).toBe("recovered");
    expect(slept).toEqual([1000, 2000]);
  });

  it("should give up after three retries with a server error the user can read", async () => {
    const token = uniqueToken("down");
    await scriptLlm(token, [{ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 }, { content: "too late" }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    const err = await failure(provider.chat(request(`hi ${token}`)));
    expect(err).toMatchObject({ kind: "server", status: 502, retryable: true });
    expect(err.userMessage).toBe("The LLM provider 'custom' is having trouble (HTTP 502). Please try again shortly.");
    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it("should cap a huge Retry-After", async () => {
    const token = uniqueToken("cap");
    await scriptLlm(token, [{ status: 429, headers: { "retry-after": "86400" } }, { content: "ok" }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep, maxRetryAfterMs: 30_000 });
    await provider.chat(request(`hi ${token}`));
    expect(slept).toEqual([30_000]);
  });

  it("should not retry a quota 429 and should say what to do", async () => {
    const token = uniqueToken("quota");
    await scriptLlm(token, [
      {
        status: 429,
        body: JSON.stringify({ error: { message: "You exceeded your current quota, please check your plan and billing details.", type: "insufficient_quota", code: "insufficient_quota" } }),
      },
      { content: "should never be reached" },
    ]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    const err = await failure(provider.chat(request(`hi ${token}`)));
    expect(err).toMatchObject({ kind: "quota", status: 429, retryable: false });
    expect(err.userMessage).toBe("The LLM provider 'custom' says the account is out of credit or quota. Top up the balance with the provider or switch model with /model.");
    expect(slept).toEqual([]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should not retry a rejected key and should name the config key to fix", async () => {
    const token = uniqueToken("auth");
    await scriptLlm(token, [{ status: 401, body: JSON.stringify({ error: { message: "Incorrect API key provided: sk-test1234" } }) }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    const err = await failure(provider.chat(request(`hi ${token}`)));
    expect(err).toMatchObject({ kind: "auth", status: 401, retryable: false });
    expect(err.userMessage).toBe("The LLM provider 'custom' rejected the API key (HTTP 401). Check providers.custom.apiKey in your config.");
    expect(err.message).not.toContain("sk-test1234");
    expect(slept).toEqual([]);
  });

  it("should time out a request that never answers within the configured timeout", async () => {
    const token = uniqueToken("hang");
    await scriptLlm(token, [{ hang: true }, { hang: true }]);
    const { provider, request } = setup({ requestTimeoutMs: 150, delaysMs: [0] });
    const err = await failure(provider.chat(request(`hi ${token}`)));
    expect(err).toMatchObject({ kind: "timeout", retryable: true });
    expect(err.userMessage).toBe("The LLM provider 'custom' did not answer within 0.15 seconds. Please try again.");
    expect(await llmRequests(token)).toHaveLength(2);
  });

  it("should time out a stream that goes silent and not retry once text reached the user", async () => {
    const token = uniqueToken("idle");
    await scriptLlm(token, [{ content: "first words then silence", chunkSize: 12, chunkDelayMs: 1500 }, { content: "a second answer" }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep, streamIdleTimeoutMs: 150 });
    const deltas: string[] = [];
    const err = await failure(provider.chat(request(`hi ${token}`, { onDelta: (t) => deltas.push(t) })));
    expect(err.kind).toBe("timeout");
    expect(err.userMessage).toContain("stopped sending for 0.15 seconds");
    expect(deltas.join("")).toBe("first words ");
    expect(slept).toEqual([]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should retry a network failure and then tell the user to check the apiBase", async () => {
    const { sleep, slept } = recordingSleep();
    // Port 9 (discard) is closed on the test machine: the connection is refused.
    const config = customConfig({}, { providers: { custom: { apiKey: "sk-test", apiBase: "http://127.0.0.1:9/v1" } } });
    const { provider, choice } = createProvider({ config, env: {}, retry: { sleep }, breaker: new CircuitBreaker() });
    const err = await failure(provider.chat({ ...requestDefaults(choice), messages: [userMessage("hi")] }));
    expect(err).toMatchObject({ kind: "server", retryable: true });
    expect(err.userMessage).toBe("The LLM provider 'custom' could not be reached. Check providers.custom.apiBase and try again.");
    expect(slept).toEqual([1000, 2000, 4000]);
  });

  it("should stop at once when the caller aborts, without retrying", async () => {
    const token = uniqueToken("abort");
    await scriptLlm(token, [{ hang: true }]);
    const { sleep, slept } = recordingSleep();
    const { provider, request } = setup({ sleep });
    const controller = new AbortController();
    const pending = provider.chat(request(`hi ${token}`, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const err = await failure(pending);
    expect(err).toMatchObject({ kind: "aborted", retryable: false });
    expect(slept).toEqual([]);
  });
});
