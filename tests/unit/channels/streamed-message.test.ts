import { describe, expect, it } from "vitest";
import { finishStreamedMessage, startStreamedMessage } from "../../../src/channels/progress/streamed-message.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function recorder(opts: { failFirstEditWithRetryMs?: number } = {}) {
  const calls: Array<{ kind: "send" | "edit"; text: string; at: number }> = [];
  let failNext = opts.failFirstEditWithRetryMs !== undefined;
  return {
    calls,
    send: async (text: string) => (calls.push({ kind: "send", text, at: Date.now() }), 7),
    edit: async (_id: number, text: string) => {
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error("Too Many Requests"), { retryAfterMs: opts.failFirstEditWithRetryMs });
      }
      calls.push({ kind: "edit", text, at: Date.now() });
    },
    retryAfterMs: (err: unknown) => (err as { retryAfterMs?: number }).retryAfterMs ?? null,
  };
}

describe("streamed message", () => {
  it("should send nothing for an answer that finishes within the first interval", async () => {
    const r = recorder();
    const stream = startStreamedMessage<number>({ key: "quick#1", intervalMs: 200, maxChars: 100, failureEvent: "x", ...r });
    stream.append("all at once");
    expect(await finishStreamedMessage<number>("quick#1")).toBeUndefined();
    await sleep(250);
    expect(r.calls).toEqual([]);
  });

  it("should send once after the interval, then edit at most once per interval, cut to maxChars", async () => {
    const r = recorder();
    const ids: number[] = [];
    const stream = startStreamedMessage<number>({ key: "slow#1", intervalMs: 100, maxChars: 12, failureEvent: "x", onMessageId: (id) => ids.push(id), ...r });
    for (let i = 0; i < 8; i++) {
      stream.append(`${i}`);
      await sleep(40);
    }
    stream.append(" and a long tail");
    await sleep(150);
    expect(await finishStreamedMessage<number>("slow#1")).toBe(7);
    expect(ids).toEqual([7]);
    expect(r.calls[0]).toMatchObject({ kind: "send" });
    expect(r.calls.slice(1).every((c) => c.kind === "edit")).toBe(true);
    for (let i = 1; i < r.calls.length; i++) expect(r.calls[i].at - r.calls[i - 1].at).toBeGreaterThanOrEqual(95);
    expect(r.calls.at(-1)!.text).toBe("01234567 and".slice(0, 12));
  });

  it("should edit a message an earlier run sent instead of sending another, and pause as long as the platform asks", async () => {
    const r = recorder({ failFirstEditWithRetryMs: 300 });
    const stream = startStreamedMessage<number>({ key: "resumed#1", intervalMs: 50, maxChars: 100, messageId: 5, failureEvent: "x", ...r });
    const started = Date.now();
    stream.append("a");
    await sleep(120);
    stream.append("b");
    await sleep(450);
    await finishStreamedMessage<number>("resumed#1");
    expect(r.calls.map((c) => c.kind)).toEqual(["edit"]);
    expect(r.calls[0].text).toBe("ab");
    expect(r.calls[0].at - started).toBeGreaterThanOrEqual(340);
  });
});
