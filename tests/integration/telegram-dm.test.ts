import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { approveSender, eventually, postTelegram, runSession, sentTexts, telegramCalls, telegramUpdate, uniqueId } from "../support/channel-script.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

describe("Telegram direct messages", () => {
  it("should answer an allowed user with exactly one sendMessage carrying the model's reply", async () => {
    const token = uniqueToken("tgdm");
    await scriptLlm(token, [{ content: `Hello **there** ${token}` }]);
    const res = await postTelegram(telegramUpdate({ chatId: 42, text: `hi ${token}` }));
    expect(res.status).toBe(200);
    await runSession("telegram:42");
    const mine = await eventually(async () => (await sentTexts(42)).filter((t) => t.includes(token)).length ? (await sentTexts(42)).filter((t) => t.includes(token)) : null);
    expect(mine).toEqual([`Hello <b>there</b> ${token}`]);
    const call = (await telegramCalls(42, "sendMessage")).find((c) => String(c.params.text).includes(token));
    expect(call?.params.parse_mode).toBe("HTML");
  });

  it("should answer an update delivered three times only once", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgredeliver");
    const update = telegramUpdate({ chatId: chat, text: `once ${token}` });
    for (let i = 0; i < 3; i++) expect((await postTelegram(update)).status).toBe(200);
    await runSession(`telegram:${chat}`);
    await postTelegram(update);
    await runSession(`telegram:${chat}`);
    await eventually(async () => (await sentTexts(chat)).length > 0);
    expect(await sentTexts(chat)).toEqual([`echo: once ${token}`]);
    expect(await inboxCount(`telegram:${chat}`)).toBe(1);
  });

  it("should refuse a wrong or missing secret token with 401 and store nothing", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    expect((await postTelegram(telegramUpdate({ chatId: chat, text: "forged" }), "wrong-secret")).status).toBe(401);
    expect((await postTelegram(telegramUpdate({ chatId: chat, text: "forged" }), null)).status).toBe(401);
    expect(await inboxCount(`telegram:${chat}`)).toBe(0);
    expect(await telegramCalls(chat)).toEqual([]);
  });

  it("should acknowledge before the model answers and run the turn in the session alarm", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgack");
    await scriptLlm(token, [{ content: "late answer", delayMs: 1500 }]);
    expect((await postTelegram(telegramUpdate({ chatId: chat, text: `slow ${token}` }))).status).toBe(200);
    expect(await inboxCount(`telegram:${chat}`)).toBe(1);
    expect(await sentTexts(chat)).toEqual([]);
    await runSession(`telegram:${chat}`);
    expect(await eventually(async () => (await sentTexts(chat)).length && (await sentTexts(chat)))).toEqual(["late answer"]);
  });

  it("should answer slash commands at once without calling the model", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    await postTelegram(telegramUpdate({ chatId: chat, text: "/help" }));
    const [help] = await sentTexts(chat);
    expect(help).toContain("/pairing");
  });
});
