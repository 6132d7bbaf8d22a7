import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { chooseArchiveCut } from "../../../durable-objects/session/memory/archive-cut.ts";
import { activeTasks } from "../../../durable-objects/session/heartbeat/heartbeat-tasks.ts";
import { lineDiff } from "../../../durable-objects/session/dream/line-diff.ts";
import { estimateTextTokens } from "../../../src/agent/token-estimate.ts";
import { ScheduleError, nextRunAt, parseAt, parseSchedule } from "../../../src/cron/schedule.ts";
import { appendHistory, compactHistory, readHistory } from "../../../src/memory/history-file.ts";

const rows = (roles: string) => [...roles].map((r, i) => ({ id: i + 1, role: r === "u" ? "user" : r === "a" ? "assistant" : "tool", tokens: 100 }));

describe("archive cut", () => {
  it("should cut only before a user message and keep the last 8 messages", () => {
    const r = rows("uatauauauauauaua"); // 16 messages
    expect(chooseArchiveCut(r, 150)).toBe(4); // removing 'u a t a' (400) is the first whole turn ≥ 150
    expect(r[chooseArchiveCut(r, 150)].role).toBe("user");
    expect(chooseArchiveCut(r, Infinity)).toBe(8);
    expect(chooseArchiveCut(rows("uauauaua"), Infinity)).toBe(0);
  });

  it("should never separate a tool call from its result", () => {
    // u a(call) t t t a(call) t t t a(final) | u a …: the first turn with its tool results goes as one piece.
    const r = rows("uatttatttauauauaua");
    expect(chooseArchiveCut(r, 200)).toBe(10);
  });
});

describe("token estimate", () => {
  // Reference counts measured with js-tiktoken's cl100k_base on these exact texts. Prose lands within ~12 %;
  // JSON and code are underestimated by up to a third. Budgets absorb that: 1,024 tokens of margin, and
  // consolidation aims at half the budget, so a 40 % underestimate still fits the window.
  const samples: Array<[string, number]> = [
    ["Hey, can you remind me to call my mother tomorrow at 9am? She lives in Lisbon so use her time zone.", 26],
    ["The quick brown fox jumps over the lazy dog. ".repeat(20), 201],
    ['{"path":"memory/MEMORY.md","old_text":"- Cat: Zorblax","new_text":"- Cat: Zorblax (black, 4 years)"}', 38],
    ["def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\nprint([fib(i) for i in range(10)])\n", 38],
    ["Der Termin mit Frau Müller ist am Donnerstag um 14:30 Uhr im Büro in der Friedrichstraße.", 25],
    ["明天下午三点提醒我给妈妈打电话。", 21],
  ];
  it("should stay between 60 % and 125 % of a real tokenizer's count on realistic texts", () => {
    for (const [text, real] of samples) {
      const ratio = estimateTextTokens(text) / real;
      expect(ratio, `sample ${samples.findIndex((s) => s[0] === text)}`).toBeGreaterThan(0.6);
      expect(ratio, `sample ${samples.findIndex((s) => s[0] === text)}`).toBeLessThan(1.25);
    }
  });
});

describe("cron schedules", () => {
  it("should keep 9:00 local time across a DST change", () => {
    const s = parseSchedule({ cron_expr: "0 9 * * *", tz: "Europe/Berlin" }, "UTC");
    const before = nextRunAt(s, Date.parse("2026-03-28T12:00:00Z"))!; // Saturday before the switch (UTC+1)
    const after = nextRunAt(s, before)!; // Sunday 29 March, UTC+2
    expect(new Date(before).toISOString()).toBe("2026-03-29T07:00:00.000Z");
    expect(new Date(after).toISOString()).toBe("2026-03-30T07:00:00.000Z");
    expect(new Date(nextRunAt(s, Date.parse("2026-03-27T12:00:00Z"))!).toISOString()).toBe("2026-03-28T08:00:00.000Z");
  });

  it("should read an 'at' without offset in the default time zone", () => {
    expect(new Date(parseAt("2026-07-01T09:00:00", "America/New_York")).toISOString()).toBe("2026-07-01T13:00:00.000Z");
    expect(new Date(parseAt("2026-07-01T09:00:00Z", "America/New_York")).toISOString()).toBe("2026-07-01T09:00:00.000Z");
  });

  it("should reject ambiguous or broken schedules", () => {
    expect(() => parseSchedule({ every_seconds: 5, at: "2030-01-01T00:00:00Z" }, "UTC")).toThrow(ScheduleError);
    expect(() => parseSchedule({}, "UTC")).toThrow("give one of");
    expect(() => parseSchedule({ at: "tomorrow" }, "UTC")).toThrow("ISO date-time");
  });
});

describe("HEARTBEAT.md tasks", () => {
  it("should find only real tasks under Active Tasks", () => {
    const md = "# Heartbeat\n\n## Active Tasks\n<!--\n- not a task\n-->\n- [ ] Check mail\n* Water plants\n-\n\n## Done\n- Old\n";
    expect(activeTasks(md)).toEqual(["- [ ] Check mail", "* Water plants"]);
    expect(activeTasks("## Active Tasks\n\n")).toEqual([]);
    expect(activeTasks(null)).toEqual([]);
  });
});

describe("line diff", () => {
  it("should count added and removed lines", () => {
    expect(lineDiff("a\nb\nc", "a\nc\nd\ne")).toEqual({ added: ["d", "e"], removed: ["b"] });
  });
});

describe("history.jsonl", () => {
  it("should give concurrent appends distinct cursors and compact only processed entries", async () => {
    const ws = `unit-${crypto.randomUUID().slice(0, 8)}`;
    await Promise.all(Array.from({ length: 6 }, (_, i) => appendHistory(env.WORKSPACE, ws, "api:x", `summary ${i}`)));
    const entries = await readHistory(env.WORKSPACE, ws);
    expect(entries.map((e) => e.cursor)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(entries.map((e) => e.summary)).size).toBe(6);
    await compactHistory(env.WORKSPACE, ws, 2, 3);
    expect((await readHistory(env.WORKSPACE, ws)).map((e) => e.cursor)).toEqual([3, 4, 5, 6]);
  });

  it("should append after a torn last line without rewriting the entries before it", async () => {
    const ws = `unit-${crypto.randomUUID().slice(0, 8)}`;
    const key = `workspaces/${ws}/memory/history.jsonl`;
    const first = `{"cursor":7,"ts":"2026-12-01 10:00","session":"api:x","summary":"kept as written"}`;
    await env.WORKSPACE.put(key, `${first}\n{"cursor":8,"summ`);
    const added = await appendHistory(env.WORKSPACE, ws, "api:x", "next");
    expect(added.cursor).toBe(8);
    const text = await (await env.WORKSPACE.get(key))!.text();
    expect(text.startsWith(`${first}\n{"cursor":8,"summ\n`)).toBe(true);
    expect((await readHistory(env.WORKSPACE, ws)).map((e) => [e.cursor, e.summary])).toEqual([
      [7, "kept as written"],
      [8, "next"],
    ]);
  });
});
