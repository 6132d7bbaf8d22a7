import { describe, expect, it } from "vitest";
import { describeNetworkError } from "../../src/doctor/probe.ts";

describe("doctor network errors", () => {
  it("should say timeout, DNS or refused, naming only the host (never a path that may hold a token)", () => {
    const url = "https://api.telegram.org/bot123:SECRET/getWebhookInfo";
    expect(describeNetworkError(new DOMException("signal timed out", "TimeoutError"), url, 5000)).toBe("https://api.telegram.org did not answer within 5 s (timeout)");
    const dns = Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND", message: "getaddrinfo ENOTFOUND api.telegram.org" } });
    expect(describeNetworkError(dns, url, 5000)).toBe("https://api.telegram.org was not found (DNS lookup failed)");
    expect(describeNetworkError(new Error("Network connection lost."), url, 5000)).toBe("https://api.telegram.org refused the connection (nothing listens there)");
  });
});
