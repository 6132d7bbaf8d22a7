import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, postTelegram, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { uniqueToken } from "../support/llm-script.ts";
import { apiReply } from "./memory-kit.ts";

const MB = 1024 * 1024;
const AUTH = { authorization: "Bearer key-123" };

/**
 * A body that arrives in 64 KB chunks and says nothing about its length; `pulled` counts the bytes the Worker
 * asked for, so a test can see that reading stopped near the limit instead of at the end.
 */
function streamedBody(totalBytes: number, prefix = "", fill = "x") {
  const chunk = new TextEncoder().encode(fill.repeat(64 * 1024));
  const head = new TextEncoder().encode(prefix);
  let sent = 0;
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const part = sent === 0 && head.length ? head : chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
      sent += part.length;
      state.pulled = sent;
      controller.enqueue(part);
    },
  });
  return { stream, state };
}

/** A body that never ends: only a limit checked before reading can answer it. */
function endlessBody(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
}

async function expect413(res: Response, configKey: string, limitBytes: number): Promise<void> {
  expect(res.status).toBe(413);
  expect(res.headers.get("content-type")).toContain("application/json");
  const body = (await res.json()) as { error: { message: string; code: string } };
  expect(body.error.code).toBe("request_too_large");
  expect(body.error.message).toContain(`larger than ${limitBytes} bytes`);
  expect(body.error.message).toContain(configKey);
}

async function sessionKeys(like: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE session_key LIKE ?").bind(like).first<{ n: number }>();
  return row?.n ?? 0;
}

async function mediaObjects(prefix: string): Promise<number> {
  return (await env.WORKSPACE.list({ prefix })).objects.length;
}

describe("body limits on every route", () => {
  it("should answer a streamed webhook body over limits.webhookBodyBytes with 413, stop reading, and store nothing", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const update = JSON.stringify(telegramUpdate({ chatId: chat, text: "hi" }));
    // Valid JSON up to the cut: the update followed by 3 MB of spaces.
    const { stream, state } = streamedBody(3 * MB, update, " ");
    const res = await SELF.fetch("https://gw/webhooks/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" },
      body: stream,
    });
    await expect413(res, "limits.webhookBodyBytes", MB);
    // Reading stopped at the limit (plus what the runtime had buffered), far from the 3 MB sent.
    expect(state.pulled).toBeLessThan(2 * MB);
    expect(await sessionKeys(`telegram:${chat}%`)).toBe(0);
    // Under the limit the same update is accepted.
    expect((await postTelegram(JSON.parse(update))).status).toBe(200);
  });

  it("should refuse a Content-Length over the limit before reading a byte", async () => {
    const res = await SELF.fetch("https://gw/webhooks/slack", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(5 * MB) },
      body: endlessBody(),
    });
    await expect413(res, "limits.webhookBodyBytes", MB);
  });

  it("should count the bytes when the Content-Length lies", async () => {
    const session = uniqueToken("lying");
    const { stream } = streamedBody(10 * MB, `{"session_id":"${session}","messages":[{"role":"user","content":"`);
    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json", "content-length": "100" },
      body: stream,
    });
    // Through SELF.fetch workerd passes on every byte sent, whatever the header says: only counting catches this.
    await expect413(res, "api.maxBodyBytes", 8 * MB);
    expect(await sessionKeys(`api:${session}`)).toBe(0);
  });

  it("should cap /v1/* at api.maxBodyBytes while streaming (no Content-Length)", async () => {
    const session = uniqueToken("v1stream");
    const { stream, state } = streamedBody(12 * MB, `{"session_id":"${session}","messages":[{"role":"user","content":"`);
    const res = await SELF.fetch("https://gw/v1/chat/completions", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: stream });
    await expect413(res, "api.maxBodyBytes", 8 * MB);
    expect(state.pulled).toBeLessThan(10 * MB);
    expect(await sessionKeys(`api:${session}`)).toBe(0);
  });

  it("should stop a /webui/upload at limits.uploadBodyBytes and keep no file", async () => {
    const client = uniqueToken("up").replace(/[^A-Za-z0-9_-]/g, "");
    const boundary = "----nb" + client;
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`;
    const { stream, state } = streamedBody(30 * MB, head);
    const before = await mediaObjects("workspaces/");
    const res = await SELF.fetch(`https://gw/webui/upload?client_id=${client}`, {
      method: "POST",
      headers: { ...AUTH, "content-type": `multipart/form-data; boundary=${boundary}` },
      body: stream,
    });
    await expect413(res, "limits.uploadBodyBytes", 10 * MB + 64 * 1024);
    expect(state.pulled).toBeLessThan(12 * MB);
    expect(await mediaObjects("workspaces/")).toBe(before);
  });

  it("should cap /triggers/* at limits.triggerBodyBytes and queue nothing", async () => {
    const session = uniqueToken("trgcap");
    await apiReply(session, "hello");
    const created = await apiReply(session, "/trigger too-big");
    const id = /id: (trg_[A-HJ-NP-Z2-9]{8})/.exec(created)![1];
    const token = /Token \(shown only once, keep it secret\): (\S+)/.exec(created)![1];
    const { stream } = streamedBody(MB);
    const res = await SELF.fetch(`https://gw/triggers/${id}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: stream });
    await expect413(res, "limits.triggerBodyBytes", 64 * 1024);
    const fired = await env.DB.prepare("SELECT last_fired_at FROM triggers WHERE id = ?").bind(id).first<{ last_fired_at: number | null }>();
    expect(fired?.last_fired_at ?? null).toBeNull();
  });

  it("should cap /api/cron and /admin/* at limits.controlBodyBytes and create nothing", async () => {
    const session = uniqueToken("croncap");
    const name = uniqueToken("job");
    const body = JSON.stringify({ session: `api:${session}`, name, message: "x".repeat(100 * 1024), every_seconds: 3600 });
    const { stream } = streamedBody(body.length, body);
    const cron = await SELF.fetch("https://gw/api/cron", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: stream });
    await expect413(cron, "limits.controlBodyBytes", 64 * 1024);
    const jobs = await env.DB.prepare("SELECT COUNT(*) AS n FROM cron_jobs WHERE name = ?").bind(name).first<{ n: number }>();
    expect(jobs?.n).toBe(0);

    // The pairing route falls back to {} on malformed JSON; a body cut at the limit must not reach that fallback.
    const { stream: big } = streamedBody(200 * 1024, '{"code":"');
    const pairing = await SELF.fetch("https://gw/admin/pairing/approve", { method: "POST", headers: { ...AUTH, "content-type": "application/json" }, body: big });
    await expect413(pairing, "limits.controlBodyBytes", 64 * 1024);
  });
});
