import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { postTelegram, sentTexts, telegramUpdate, uniqueId, allTelegramCalls } from "../support/channel-script.ts";

const admin = (path: string, init: RequestInit = {}, key = "key-123") =>
  SELF.fetch(`https://gateway.test/admin${path}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...(init.headers ?? {}) } });

describe("admin endpoints for the CLI", () => {
  it("should require the API key", async () => {
    expect((await admin("/channels", {}, "wrong")).status).toBe(401);
    expect((await SELF.fetch("https://gateway.test/admin/pairing")).status).toBe(401);
  });

  it("should report each channel's configuration without secrets, and Telegram's webhook info", async () => {
    const res = await admin("/channels");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("123456:ABC");
    expect(text).not.toContain("slack-secret");
    const { channels } = JSON.parse(text) as { channels: Array<Record<string, any>> };
    const telegram = channels.find((c) => c.name === "telegram")!;
    expect(telegram).toMatchObject({ enabled: true, allowFrom: ["42"], groupPolicy: "mention", bot: "@nano_test_bot", secretsSet: { token: true, webhookSecretToken: true } });
    expect(telegram.webhook).toHaveProperty("pendingUpdates", 0);
    expect(channels.find((c) => c.name === "slack")).toMatchObject({ enabled: true, secretsSet: { botToken: true, signingSecret: true } });
  });

  it("should register the Telegram webhook with the secret and allowed updates", async () => {
    const res = await admin("/channels/telegram/webhook", { method: "POST", body: "{}" });
    expect(await res.json()).toMatchObject({ ok: true, url: "https://gateway.test/webhooks/telegram" });
    const [call] = (await allTelegramCalls("setWebhook")).slice(-1);
    expect(call.params).toMatchObject({ url: "https://gateway.test/webhooks/telegram", secret_token: "tg-secret", allowed_updates: ["message", "callback_query"] });
  });

  it("should list, approve and deny pairing requests", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests").run();
    const a = uniqueId();
    const b = uniqueId();
    await postTelegram(telegramUpdate({ chatId: a, text: "hi" }));
    await postTelegram(telegramUpdate({ chatId: b, text: "hi" }));
    const { pending } = (await (await admin("/pairing")).json()) as { pending: Array<{ code: string; senderId: string }> };
    const codeA = pending.find((p) => p.senderId === String(a))!.code;
    const codeB = pending.find((p) => p.senderId === String(b))!.code;
    expect((await admin("/pairing/approve", { method: "POST", body: JSON.stringify({ code: codeA }) })).status).toBe(200);
    expect((await admin("/pairing/deny", { method: "POST", body: JSON.stringify({ code: codeB }) })).status).toBe(200);
    expect((await admin("/pairing/approve", { method: "POST", body: JSON.stringify({ code: codeB }) })).status).toBe(404);
    const after = (await (await admin("/pairing")).json()) as { pending: unknown[]; approved: Array<{ channel: string; senderId: string }> };
    expect(after.pending).toEqual([]);
    expect(after.approved).toContainEqual(expect.objectContaining({ channel: "telegram", senderId: String(a) }));
    expect((await sentTexts(a)).at(-1)).toContain("approved");
  });
});
