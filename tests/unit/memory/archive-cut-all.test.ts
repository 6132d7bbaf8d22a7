import { describe, expect, it } from "vitest";
import { chooseArchiveCut } from "../../../durable-objects/session/memory/archive-cut.ts";

const rows = (roles: string[]) => roles.map((role, i) => ({ id: i + 1, role, tokens: 10 }));

describe("archive cut for /new (keep = 0)", () => {
  it("should archive every message, the last turn included", () => {
    expect(chooseArchiveCut(rows(["user", "assistant", "user", "assistant", "tool", "assistant"]), Number.POSITIVE_INFINITY, 0)).toBe(6);
  });

  it("should still keep the last 8 messages by default", () => {
    const log = rows(Array.from({ length: 12 }, (_, i) => (i % 2 ? "assistant" : "user")));
    expect(chooseArchiveCut(log, Number.POSITIVE_INFINITY)).toBe(4);
  });
});
