import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MetaStore } from "../../../durable-objects/session/meta-store.ts";

describe("session meta store", () => {
  it("should read back what it wrote, as a fresh copy each time, and forget deleted keys", async () => {
    const stub = env.SESSIONS.getByName(`meta-${crypto.randomUUID()}`);
    await runInDurableObject(stub, (_instance, state) => {
      const meta = new MetaStore(state.storage.sql);
      expect(meta.get("goal")).toBeUndefined();
      meta.set("goal", { status: "active", steps: ["a"] });
      const first = meta.get<{ status: string; steps: string[] }>("goal")!;
      first.steps.push("mutated by a caller");
      expect(meta.get("goal")).toEqual({ status: "active", steps: ["a"] });
      expect(meta.add("total", 3)).toBe(3);
      expect(meta.add("total", 4)).toBe(7);
      // Another store over the same storage sees the rows: the values really are in SQLite.
      expect(new MetaStore(state.storage.sql).get("total")).toBe(7);
      meta.set("goal", null);
      expect(meta.get("goal")).toBeUndefined();
      expect(new MetaStore(state.storage.sql).get("goal")).toBeUndefined();
    });
  });
});
