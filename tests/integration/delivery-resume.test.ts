import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { approveSender, eventually, finalTexts, postTelegram, runSession, telegramCalls, telegramFault, telegramUpdate, uniqueId } from "../support/channel-script.ts";

/** Three parts of ~3,800 characters, each marked, so Telegram's 4,000-character split makes exactly three messages. */
function threePartAnswer(token: string): string {
  const part = (label: string) => `${label} ${token}\n\n${Array.from({ length: 19 }, (_, i) => `${label} line ${i}: ${"word ".repeat(36).trim()}.`).join("\n\n")}`;
  return [part("PART-A"), part("PART-B"), part("PART-C")].join("\n\n");
}

/** Resets the session object as a deploy or an eviction does: its in-memory state is gone, SQLite stays. */
async function resetObject(key: string): Promise<void> {
  await runInDurableObject(env.SESSIONS.getByName(key), (_instance, state) => {
    try {
      state.abort("test: reset mid-delivery");
    } catch {
      // abort() throws into the caller as well
    }
  }).catch(() => undefined);
}

describe("reply delivery across an object reset", () => {
  it("should send each part of a 3-part reply exactly once when the object is reset after part 1", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const key = `telegram:${chat}`;
    const token = uniqueToken("parts");
    await scriptLlm(token, [{ content: threePartAnswer(token) }]);
    // Part 2's send never gets an answer: the object is reset while it is in flight.
    await telegramFault({ method: "sendMessage", chat: String(chat), count: 1, status: 0, hang: true, textIncludes: "PART-B" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `three parts ${token}` }));
    const firstRun = runSession(key).catch((err) => err);
    await eventually(async () => (await telegramCalls(chat, "sendMessage")).some((c) => c.status === 0));
    await resetObject(key);
    await firstRun;
    await runSession(key);
    const shown = await eventually(async () => {
      const texts = await finalTexts(chat);
      return texts.length >= 3 && texts;
    });
    expect(shown.map((t) => t.slice(0, 6))).toEqual(["PART-A", "PART-B", "PART-C"]);
    const delivered = (await telegramCalls(chat, "sendMessage")).filter((c) => c.status === 200).map((c) => String(c.params.text).slice(0, 6));
    expect(delivered.filter((t) => t === "PART-A").length).toBeLessThanOrEqual(1);
    expect(delivered.filter((t) => t === "PART-B")).toHaveLength(1);
    expect(delivered.filter((t) => t === "PART-C")).toHaveLength(1);
    expect(await llmRequests(token)).toHaveLength(1);
  });
});
