import { describe, expect, it } from "vitest";
import { classifyHttpError, parseRetryAfter, redactSecrets } from "../../../src/providers/errors.ts";

describe("provider errors", () => {
  it("should parse Retry-After as seconds, as an HTTP date, and retry-after-ms", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter(new Headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(parseRetryAfter(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }), now)).toBe(30_000);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now)).toBe(250);
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });

  it("should classify statuses and bodies into kinds with the right retryability", () => {
    const kind = (status: number | undefined, body: unknown) => {
      const e = classifyHttpError(status, body, null, "p");
      return [e.kind, e.retryable];
    };
    expect(kind(429, { error: { type: "rate_limit_exceeded" } })).toEqual(["rate_limit", true]);
    expect(kind(429, { error: { code: "insufficient_quota" } })).toEqual(["quota", false]);
    expect(kind(429, { error: { message: "billing_hard_limit_reached" } })).toEqual(["quota", false]);
    expect(kind(402, "Payment Required")).toEqual(["quota", false]);
    expect(kind(403, {})).toEqual(["auth", false]);
    expect(kind(408, {})).toEqual(["timeout", true]);
    expect(kind(409, {})).toEqual(["server", true]);
    expect(kind(529, { error: { type: "overloaded_error" } })).toEqual(["server", true]);
    expect(kind(404, { error: { message: "model not found" } })).toEqual(["invalid_request", false]);
    expect(kind(undefined, { error: { type: "server_error" } })).toEqual(["server", true]);
  });

  it("should keep keys out of messages", () => {
    expect(redactSecrets("Incorrect API key provided: sk-proj-abc123XYZ. Also sk-or-v1-deadbeef")).toBe("Incorrect API key provided: [redacted]. Also [redacted]");
    const e = classifyHttpError(401, { error: { message: "bad key sk-ant-api03-secret" } }, null, "anthropic");
    expect(e.message).not.toContain("secret");
    expect(e.userMessage).not.toContain("sk-");
  });
});
