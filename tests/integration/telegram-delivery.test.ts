import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { parseTelegramHtml } from "../support/stand-in-telegram.ts";
import { approveSender, atLeast, eventually, finalTexts, postTelegram, runSession, sentTexts, telegramCalls, telegramFault, telegramFile, telegramUpdate, uniqueId } from "../support/channel-script.ts";

async function allowedChat(): Promise<number> {
  const chat = uniqueId();
  await approveSender("telegram", String(chat));
  return chat;
}

const visible = (html: string) => {
  const parsed = parseTelegramHtml(html);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.text;
};

describe("Telegram replies", () => {
  it("should send a 10,000-character answer as ordered parts within 4096 characters", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("long");
    const paragraphs = Array.from({ length: 50 }, (_, i) => `Paragraph ${String(i).padStart(2, "0")}: ${"word ".repeat(38).trim()}.`);
    const answer = paragraphs.join("\n\n");
    expect(answer.length).toBeGreaterThan(10_000);
    await scriptLlm(token, [{ content: answer }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `long please ${token}` }));
    await runSession(`telegram:${chat}`);
    // Under load the answer may first show as a streamed preview; what counts is what the chat shows in the end.
    const parts = await eventually(async () => {
      const shown = await finalTexts(chat);
      return shown.length >= 3 && shown.every((t) => t.startsWith("Paragraph")) && shown;
    });
    expect(parts.length).toBe(3);
    for (const part of parts) expect(visible(part).length).toBeLessThanOrEqual(4096);
    const order = parts.flatMap((p) => [...p.matchAll(/Paragraph (\d\d)/g)].map((m) => Number(m[1])));
    expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("should render Markdown with code blocks as Telegram HTML", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("code");
    await scriptLlm(token, [{ content: "Try this:\n\n```python\nif a < b:\n    print('ok')\n```\n\nand **done**." }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `code ${token}` }));
    await runSession(`telegram:${chat}`);
    const [html] = await eventually(async () => {
      const shown = await finalTexts(chat);
      return shown.length === 1 && shown[0].startsWith("Try this:") && shown[0].includes("<pre>") && shown;
    });
    expect(html).toBe('Try this:\n\n<pre><code class="language-python">if a &lt; b:\n    print(\'ok\')</code></pre>\n\nand <b>done</b>.');
  });

  it("should fall back to plain text when Telegram cannot parse the HTML", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("fallback");
    await scriptLlm(token, [{ content: "**bold** answer" }]);
    await telegramFault({ method: "sendMessage", chat: String(chat), count: 1, status: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"b\" at byte offset 0", parseMode: "HTML" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `fallback ${token}` }));
    await runSession(`telegram:${chat}`);
    const calls = await eventually(async () => {
      const c = await telegramCalls(chat, "sendMessage");
      return c.length >= 2 && c;
    });
    expect(calls.map((c) => [c.status, c.params.parse_mode ?? null])).toEqual([
      [400, "HTML"],
      [200, null],
    ]);
    expect(calls[1].params.text).toBe("**bold** answer");
  });

  it("should wait out a 429 retry_after and then deliver once", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("flood");
    await telegramFault({ method: "sendMessage", chat: String(chat), count: 1, status: 429, retryAfter: 1 });
    await postTelegram(telegramUpdate({ chatId: chat, text: `flood ${token}` }));
    await runSession(`telegram:${chat}`);
    const calls = await eventually(async () => {
      const c = await telegramCalls(chat, "sendMessage");
      return c.some((x) => x.status === 200) && c;
    });
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
    expect(await sentTexts(chat)).toEqual([`echo: flood ${token}`]);
  });

  it("should answer exactly once when the turn crashed mid-way and the alarm resumes it", async () => {
    const chat = await allowedChat();
    const key = `telegram:${chat}`;
    const token = uniqueToken("crash");
    await scriptLlm(token, [{ content: `survived ${token}` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `crash ${token}` }));
    // What a reset object leaves behind: the row claimed by a run that died, its lease already expired.
    await runInDurableObject(env.SESSIONS.getByName(key), async (_instance, state) => {
      state.storage.sql.exec("UPDATE inbox SET status = 'running', attempts = 1, lease_until = 0");
    });
    await runSession(key);
    await runSession(key);
    await eventually(async () => (await sentTexts(chat)).length > 0);
    expect(await sentTexts(chat)).toEqual([`survived ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should deliver an answer whose send failed before the crash exactly once", async () => {
    const chat = await allowedChat();
    const key = `telegram:${chat}`;
    const token = uniqueToken("undelivered");
    await scriptLlm(token, [{ content: `kept ${token}` }]);
    await telegramFault({ method: "sendMessage", chat: String(chat), count: 1, status: 502, description: "Bad Gateway" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `x ${token}` }));
    await runSession(key);
    expect(await sentTexts(chat)).toEqual([]);
    // The delivery retry is an alarm row; fire it now instead of waiting 30 s.
    await runInDurableObject(env.SESSIONS.getByName(key), async (_i, state) => {
      await state.storage.setAlarm(Date.now());
    });
    await runSession(key);
    await runSession(key);
    expect(await atLeast(1, () => sentTexts(chat))).toEqual([`kept ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should stream a slow answer by editing one message and finish without a duplicate", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("stream");
    const answer = `Streaming ${token} ${"piece ".repeat(60).trim()} end.`;
    await scriptLlm(token, [{ content: answer, chunkSize: 20, chunkDelayMs: 150 }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `stream ${token}` }));
    await runSession(`telegram:${chat}`);
    await eventually(async () => (await telegramCalls(chat, "editMessageText")).some((c) => c.params.parse_mode === "HTML"));
    const sends = (await telegramCalls(chat, "sendMessage")).filter((c) => c.status === 200);
    const edits = (await telegramCalls(chat, "editMessageText")).filter((c) => c.status === 200);
    expect(sends).toHaveLength(1);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits[edits.length - 1].params.text).toBe(answer);
    // Bounded rate: streamed (plain) edits at least the configured interval (1 s) apart; the final edit may follow at once.
    const streamed = [sends[0], ...edits.filter((e) => e.params.parse_mode === undefined)];
    for (let i = 1; i < streamed.length; i++) expect(streamed[i].at - streamed[i - 1].at).toBeGreaterThanOrEqual(900);
    expect((await telegramCalls(chat, "sendChatAction")).length).toBeGreaterThanOrEqual(1);
  });

  it("should copy a photo into R2 and hand it to the model as an image", async () => {
    const chat = await allowedChat();
    const token = uniqueToken("photo");
    const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
    await telegramFile(`file-${token}`, `photos/${token}.jpg`, png);
    await postTelegram(telegramUpdate({ chatId: chat, photoFileId: `file-${token}`, caption: `what is this ${token}` }));
    await runSession(`telegram:${chat}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const user = request.body.messages.findLast((m: { role: string }) => m.role === "user");
    expect(JSON.stringify(user.content)).toContain("image_url");
    const listed = await env.WORKSPACE.list({ prefix: "workspaces/main/media/" });
    expect(listed.objects.some((o) => o.key.endsWith("-photo.jpg"))).toBe(true);
  });
});
