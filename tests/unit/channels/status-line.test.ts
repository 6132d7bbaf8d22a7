import { describe, expect, it } from "vitest";
import { createStatusLine } from "../../../src/channels/progress/status-line.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sink that records what a platform would have shown, with an optional failure per call. */
function recordingSink(fail: (call: number) => unknown = () => null) {
  const shown: Array<{ text: string; at: number }> = [];
  const attempts: number[] = [];
  let removed = 0;
  return {
    shown,
    attempts,
    removed: () => removed,
    sink: {
      async show(text: string) {
        attempts.push(Date.now());
        const err = fail(attempts.length);
        if (err) throw err;
        shown.push({ text, at: Date.now() });
      },
      async remove() {
        removed++;
      },
    },
  };
}

describe("createStatusLine", () => {
  it("should appear one interval after the first update and coalesce later ones into one edit per interval", async () => {
    const rec = recordingSink();
    const line = createStatusLine({ sink: rec.sink, intervalMs: 200, retryAfterMs: () => null, channel: "test" });
    const started = Date.now();
    line.update("one");
    await sleep(250);
    line.update("two");
    line.update("three");
    await sleep(300);
    expect(rec.shown.map((s) => s.text)).toEqual(["one", "three"]);
    expect(rec.shown[0].at - started).toBeGreaterThanOrEqual(190);
    expect(rec.shown[1].at - rec.shown[0].at).toBeGreaterThanOrEqual(190);
    await line.finish();
    expect(rec.removed()).toBe(1);
  });

  it("should show nothing for a turn that ends within the first interval", async () => {
    const rec = recordingSink();
    const line = createStatusLine({ sink: rec.sink, intervalMs: 200, retryAfterMs: () => null, channel: "test" });
    line.update("quick");
    await sleep(50);
    await line.finish();
    await sleep(250);
    expect(rec.shown).toEqual([]);
  });

  it("should never throw into the turn, pause for a retry-after, and give up after repeated failures", async () => {
    const rateLimited = new Error("429");
    const rec = recordingSink((n) => (n === 1 ? rateLimited : n >= 2 ? new Error("boom") : null));
    const line = createStatusLine({ sink: rec.sink, intervalMs: 10, retryAfterMs: (err) => (err === rateLimited ? 150 : null), channel: "test" });
    line.update("a");
    await sleep(60);
    line.update("b");
    await sleep(400);
    line.update("c");
    await sleep(50);
    // One rate-limited try, a pause of 150 ms, then three failures in a row and no more calls.
    expect(rec.shown).toEqual([]);
    expect(rec.attempts).toHaveLength(4);
    expect(rec.attempts[1] - rec.attempts[0]).toBeGreaterThanOrEqual(140);
    await expect(line.finish()).resolves.toBeUndefined();
  });

  it("should not edit after finish, even with an update still waiting", async () => {
    const rec = recordingSink();
    const line = createStatusLine({ sink: rec.sink, intervalMs: 150, retryAfterMs: () => null, channel: "test" });
    line.update("first");
    await sleep(200);
    line.update("second");
    await line.finish();
    await sleep(200);
    expect(rec.shown.map((s) => s.text)).toEqual(["first"]);
  });
});
