import { describe, expect, it } from "vitest";
import { matchesSecret } from "../../../src/security/timing-safe-equal.ts";

describe("matchesSecret", () => {
  it("should accept only the exact secret, also once its digest is cached", async () => {
    for (let round = 0; round < 2; round++) {
      expect(await matchesSecret("k-secret", "k-secret")).toBe(true);
      expect(await matchesSecret("k-secreT", "k-secret")).toBe(false);
      expect(await matchesSecret("k-secre", "k-secret")).toBe(false);
      expect(await matchesSecret("k-secret2", "k-secret")).toBe(false);
      expect(await matchesSecret("", "k-secret")).toBe(false);
    }
  });

  it("should keep secrets apart when several are configured", async () => {
    expect(await matchesSecret("one", "one")).toBe(true);
    expect(await matchesSecret("two", "two")).toBe(true);
    expect(await matchesSecret("one", "two")).toBe(false);
    expect(await matchesSecret("two", "one")).toBe(false);
  });
});
