import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, eventually, postTelegram, runSession, sentTexts, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, uniqueToken } from "../support/llm-script.ts";
import { apiReply, storedMessages, stubFor } from "./memory-kit.ts";

const MB = 1024 * 1024;
const TOO_LONG = /^Your message is about ([\d,]+) tokens; this model's context window is ([\d,]+) tokens \(([\w.]+)\), and about ([\d,]+) of them are left for it once the instructions, tools and the answer have their share\. It was not sent to the model\. /;
const tokensOf = (text: string) => Number(text.replace(/,/g, ""));

async function completion(body: Record<string, unknown>): Promise<string> {
  const res = await SELF.fetch("https://gw/v1/chat/completions", {
    method: "POST",
    headers: { authorization: "Bearer key-123", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
}

/** `${token} lorem ipsum …` of exactly `chars` characters. */
const bigText = (token: string, chars: number) => `${token} ${"lorem ipsum ".repeat(Math.ceil(chars / 12))}`.slice(0, chars);

describe("a message larger than the model's context window", () => {
  it("should be answered, without calling the model, with its size and the limit (API with a session), and the session goes on", async () => {
    const session = uniqueToken("ctx-session");
    const token = uniqueToken("six-mb-default");
    const answer = await completion({ session_id: session, messages: [{ role: "user", content: bigText(token, 6 * MB) }] });
    const [, tokens, window, key] = answer.match(TOO_LONG) ?? [];
    expect(tokensOf(tokens)).toBeGreaterThan(1_500_000);
    expect(window).toBe("32,000");
    expect(key).toBe("agents.defaults.contextWindowTokens");
    expect(answer).toMatch(/Send a shorter message or attach it as a file\.$/);
    expect(await llmRequests(token)).toEqual([]);

    // The log keeps a note in its place (not 6 MB), so the next turn knows a message was sent and not read.
    const stored = await storedMessages(stubFor(`api:${session}`));
    expect(stored.map((s) => s.message.role)).toEqual(["user", "assistant"]);
    expect(JSON.stringify(stored[0].message).length).toBeLessThan(1000);
    expect(stored[0].message.content).toContain("did not fit the model's context window");
    const next = uniqueToken("after-big");
    expect(await apiReply(session, `small ${next}`)).toBe(`echo: small ${next}`);
    const [request] = await llmRequests(next);
    const seen = request.body.messages.map((m: { content: unknown }) => JSON.stringify(m.content)).join("\n");
    expect(seen).toContain("did not fit the model's context window");
  }, 60_000);

  it("should name the preset's own setting when a preset sets the window", async () => {
    const token = uniqueToken("ctx-tiny");
    const answer = await completion({ model: "tiny", session_id: uniqueToken("ctx-tiny-s"), messages: [{ role: "user", content: bigText(token, 20_000) }] });
    expect(answer).toMatch(TOO_LONG);
    expect(answer).toContain("this model's context window is 4,096 tokens (modelPresets.tiny.contextWindowTokens)");
    expect(await llmRequests(token)).toEqual([]);
  });

  it("should be answered the same way by a stateless request, streamed or not", async () => {
    const token = uniqueToken("ctx-stateless");
    const answer = await completion({ messages: [{ role: "user", content: bigText(token, 6 * MB) }] });
    expect(answer).toMatch(TOO_LONG);
    expect(answer).toMatch(/\(agents\.defaults\.contextWindowTokens\).*Send a shorter message or fewer messages\.$/);

    const res = await SELF.fetch("https://gw/v1/chat/completions", {
      method: "POST",
      headers: { authorization: "Bearer key-123", "content-type": "application/json" },
      body: JSON.stringify({ stream: true, messages: [{ role: "user", content: bigText(token, 300_000) }] }),
    });
    const frames = (await res.text()).split("\n\n").filter((f) => f.startsWith("data: {"));
    const streamed = frames.map((f) => JSON.parse(f.slice(6)).choices?.[0]?.delta?.content ?? "").join("");
    expect(streamed).toMatch(TOO_LONG);
    expect(await llmRequests(token)).toEqual([]);
  }, 60_000);

  it("should count a stateless request's whole conversation, which nothing trims", async () => {
    const token = uniqueToken("ctx-convo");
    const part = bigText(token, 120_000);
    const answer = await completion({
      messages: [
        { role: "user", content: part },
        { role: "assistant", content: "noted" },
        { role: "user", content: `and one more ${token}` },
      ],
    });
    expect(answer).toMatch(/^The messages of this request are about [\d,]+ tokens; this model's context window is 32,000 tokens/);
    expect(await llmRequests(token)).toEqual([]);
  });

  it("should tell a Telegram user that a full-length message does not fit a small model, once, without calling it", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    await postTelegram(telegramUpdate({ chatId: chat, text: "/model tiny" }));
    await runSession(`telegram:${chat}`);
    await eventually(async () => (await sentTexts(chat)).some((t) => t.includes("Switched to preset 'tiny'")));
    const token = uniqueToken("ctx-tg");
    // Telegram caps a text message at 4096 characters.
    await postTelegram(telegramUpdate({ chatId: chat, text: bigText(token, 4096) }));
    await runSession(`telegram:${chat}`);
    const replies = await eventually(async () => {
      const texts = (await sentTexts(chat)).filter((t) => t.startsWith("Your message is about"));
      return texts.length ? texts : null;
    });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(TOO_LONG);
    expect(replies[0]).toContain("(modelPresets.tiny.contextWindowTokens)");
    expect(await llmRequests(token)).toEqual([]);
  });
});
