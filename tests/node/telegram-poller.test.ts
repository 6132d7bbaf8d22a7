/**
 * scripts/lib/telegram-poller.ts against a stand-in of the gateway's `POST /local/telegram/poll` (same JSON
 * answers as src/channels/telegram/poll-route.ts, checked end to end in telegram-polling-e2e.test.ts): the
 * lines it prints, the config-file re-check, and that stop() aborts the long poll in flight.
 */
import http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegramPoller, type TelegramPoller } from "../../scripts/lib/telegram-poller.ts";

type Answer = { status: number; body: Record<string, unknown>; holdMs?: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FakeRoute {
  url: string;
  requests: Array<{ query: string; authorization?: string; closedEarly: boolean }>;
  close(): Promise<void>;
}

/** Answers each call with `next()`; a held answer models the Worker waiting in getUpdates. */
async function fakeRoute(next: (n: number) => Answer): Promise<FakeRoute> {
  const requests: FakeRoute["requests"] = [];
  const server = http.createServer((req, res) => {
    const record = { query: new URL(req.url ?? "/", "http://x").search, authorization: req.headers.authorization, closedEarly: false };
    requests.push(record);
    const answer = next(requests.length);
    const timer = setTimeout(() => res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body)), answer.holdMs ?? 0);
    res.on("close", () => {
      if (!res.writableEnded) record.closedEarly = true;
      clearTimeout(timer);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const polling = { status: 200, body: { state: "polling", mode: "auto", bot: "@nano_test_bot", received: 0, stored: 0, offset: null } };
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function run(next: (n: number) => Answer, root?: string): Promise<{ route: FakeRoute; lines: string[]; poller: TelegramPoller }> {
  const route = await fakeRoute(next);
  const lines: string[] = [];
  const poller = startTelegramPoller({ url: route.url, secret: "s3cret", log: (l) => lines.push(l), root });
  cleanup.push(() => route.close(), () => poller.stop());
  return { route, lines, poller };
}

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(20);
  }
};

describe("telegram poller (npm start)", () => {
  it("should print one line when polling starts, keep long-polling quietly, and abort the poll in flight on stop", async () => {
    const { route, lines, poller } = await run((n) => (n === 1 ? polling : { ...polling, holdMs: n === 2 ? 50 : 60_000 }));
    await until(() => route.requests.length >= 3);
    expect(lines).toEqual(["telegram: polling getUpdates for @nano_test_bot (mode auto)"]);
    // The first call asks without waiting, so the line comes at once; then real long polls.
    expect(route.requests.map((r) => r.query)).toEqual(["?timeout=0", "", ""]);
    expect(route.requests[0].authorization).toBe("Bearer s3cret");
    const started = Date.now();
    await poller.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    await until(() => route.requests[2].closedEarly);
  });

  it("should explain a webhook conflict once, with the fix, and never call anything else", async () => {
    const { route, lines } = await run(() => ({ status: 409, body: { state: "conflict", mode: "auto", bot: "@nano_test_bot", error: "409 Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" } }));
    await until(() => lines.length > 0);
    await sleep(200);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("a webhook is set");
    expect(lines[0]).toContain('set channels.telegram.mode to "webhook"');
    expect(lines[0]).toContain("deleteWebhook");
    expect(route.requests).toHaveLength(1);
  });

  it("should stay quiet while Telegram is disabled and start polling soon after nanobot.config.json changes", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "poller-root-"));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    let changed = false;
    let callsAfterChange = 0;
    const disabled = { status: 200, body: { state: "disabled", reason: "channels.telegram.enabled is false" } };
    // The first check after the change still sees the old config (wrangler is rebuilding); the next one the new.
    const { lines } = await run(() => (!changed || callsAfterChange++ === 0 ? disabled : { ...polling, holdMs: callsAfterChange > 2 ? 60_000 : 0 }), root);
    await sleep(500);
    expect(lines).toEqual([]);
    changed = true;
    writeFileSync(path.join(root, "nanobot.config.json"), '{"channels":{"telegram":{"enabled":true}}}');
    // The idle re-check is a minute: only the file change (and the quick re-checks after it) explains a line within seconds.
    await until(() => lines.length > 0, 6_000);
    expect(lines).toEqual(["telegram: polling getUpdates for @nano_test_bot (mode auto)"]);
  });

  it("should report a failing poll in one line and back off", async () => {
    const { route, lines } = await run(() => ({ status: 502, body: { state: "error", mode: "auto", error: "getMe failed: 401 Unauthorized" } }));
    await until(() => route.requests.length >= 2, 5_000);
    await sleep(300);
    expect(lines).toEqual(["telegram: polling failed (getMe failed: 401 Unauthorized); retrying with back-off (now 1 s)"]);
    // 1 s, then 2 s: no hammering of a broken token.
    expect(route.requests.length).toBeLessThanOrEqual(2);
  });
});
