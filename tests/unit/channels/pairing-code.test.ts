import { describe, expect, it } from "vitest";
import { newPairingCode, normalizePairingCode } from "../../../src/pairing/pairing-code.ts";

describe("pairing codes", () => {
  it("should look like XXXX-XXXX from A-Z and 0-9 and not repeat", () => {
    const codes = Array.from({ length: 500 }, newPairingCode);
    for (const code of codes) expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(new Set(codes).size).toBe(500);
  });

  it("should accept codes typed in lower case or without the dash", () => {
    expect(normalizePairingCode(" abcd efgh ")).toBe("ABCD-EFGH");
    expect(normalizePairingCode("abcdefgh")).toBe("ABCD-EFGH");
    expect(normalizePairingCode("ABC-DEF")).toBeNull();
  });
});
