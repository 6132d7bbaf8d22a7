import { describe, expect, it } from "vitest";
import { REPEATED_LOOKUP_ERROR } from "../../../src/agent/safety/external-lookups.ts";
import { createTurnSafety } from "../../../src/agent/safety/turn-safety.ts";

describe("repeated external lookups (per turn)", () => {
  it("should block the third identical web_fetch before it runs", () => {
    const safety = createTurnSafety();
    expect(safety.beforeCall("web_fetch", { url: "https://example.com/a" })).toBeNull();
    expect(safety.beforeCall("web_fetch", { url: "https://EXAMPLE.com/a" })).toBeNull();
    expect(safety.beforeCall("web_fetch", { url: " https://example.com/a " })).toBe(REPEATED_LOOKUP_ERROR);
    expect(REPEATED_LOOKUP_ERROR.startsWith("Error: repeated external lookup blocked.")).toBe(true);
  });

  it("should count searches by lowercased query and keep other queries free", () => {
    const safety = createTurnSafety();
    expect(safety.beforeCall("web_search", { query: "Cloudflare R2 pricing" })).toBeNull();
    expect(safety.beforeCall("web_search", { query: "cloudflare r2 pricing" })).toBeNull();
    expect(safety.beforeCall("web_search", { query: "cloudflare d1 pricing" })).toBeNull();
    expect(safety.beforeCall("web_search", { query: "CLOUDFLARE R2 PRICING" })).toBe(REPEATED_LOOKUP_ERROR);
    expect(safety.beforeCall("web_fetch", { url: "cloudflare r2 pricing" })).toBeNull();
  });

  it("should not limit other tools", () => {
    const safety = createTurnSafety();
    for (let i = 0; i < 5; i++) expect(safety.beforeCall("read_file", { path: "a.txt" })).toBeNull();
  });

  it("should report the blocked lookup as an event without changing the text", () => {
    const safety = createTurnSafety();
    const args = { query: "same" };
    safety.beforeCall("web_search", args);
    safety.beforeCall("web_search", args);
    const blocked = safety.beforeCall("web_search", args);
    expect(blocked).toBe(REPEATED_LOOKUP_ERROR);
    const checked = safety.afterCall("web_search", args, blocked!);
    expect(checked.result).toBe(REPEATED_LOOKUP_ERROR);
    expect(checked.events).toEqual([{ event: "external_lookup_blocked", detail: "web_search:same" }]);
  });

  it("should reset with each turn", () => {
    const first = createTurnSafety();
    for (let i = 0; i < 3; i++) first.beforeCall("web_fetch", { url: "https://a.example" });
    expect(createTurnSafety().beforeCall("web_fetch", { url: "https://a.example" })).toBeNull();
  });
});
