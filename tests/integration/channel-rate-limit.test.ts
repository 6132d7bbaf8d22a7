import { describe, expect, it } from "vitest";
import { approveSender, postTelegram, runSession, sentTexts, telegramUpdate, uniqueId } from "../support/channel-script.ts";

describe("per-sender rate limit", () => {
  it("should store at most channels.rateLimit.messages per window and tell the sender politely once", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    // The counter uses fixed 60-second windows: start early in one so the burst cannot straddle two.
    const into = Date.now() % 60_000;
    if (into > 40_000) await new Promise((r) => setTimeout(r, 60_000 - into + 100));
    // Default limit: 20 messages per 60 s. Slash commands are answered inline, so every stored message shows as a reply.
    for (let i = 0; i < 23; i++) expect((await postTelegram(telegramUpdate({ chatId: chat, text: "/help" }))).status).toBe(200);
    const replies = await sentTexts(chat);
    expect(replies.filter((r) => r.includes("/pairing"))).toHaveLength(20);
    expect(replies.filter((r) => r.includes("faster than I can keep up"))).toHaveLength(1);
    expect(await runSession(`telegram:${chat}`)).toBe(false);
  }, 45_000);
});
