import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { uniqueToken } from "../support/llm-script.ts";
import { approveSender, atLeast, eventually, postTelegram, runSession, sentTexts, telegramCalls, telegramUpdate, uniqueId } from "../support/channel-script.ts";

const codeIn = (text: string) => /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(text)?.[1];

async function clearPending(): Promise<void> {
  await env.DB.prepare("DELETE FROM pairing_requests").run();
}

describe("Telegram access control and pairing", () => {
  it("should give an unknown user a pairing code and serve them after /pairing approve from an allowed user", async () => {
    await clearPending();
    const stranger = uniqueId();
    const token = uniqueToken("pair");
    await postTelegram(telegramUpdate({ chatId: stranger, text: `let me in ${token}` }));
    const [codeReply] = await sentTexts(stranger);
    const code = codeIn(codeReply);
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(codeReply).toContain("/pairing approve");
    // Nothing was stored for the stranger's session and the model was never asked.
    expect(await runSession(`telegram:${stranger}`)).toBe(false);

    const owner = uniqueId();
    await approveSender("telegram", String(owner));
    await postTelegram(telegramUpdate({ chatId: owner, text: `/pairing approve ${code}` }));
    expect((await sentTexts(owner)).join("\n")).toContain(`Approved telegram user ${stranger}`);
    expect((await sentTexts(stranger)).join("\n")).toContain("approved");

    await postTelegram(telegramUpdate({ chatId: stranger, text: `now ${token}` }));
    await runSession(`telegram:${stranger}`);
    await eventually(async () => (await sentTexts(stranger)).some((t) => t === `echo: now ${token}`));
  });

  it("should send the same code again for a second message and no reply at all for a redelivered update", async () => {
    await clearPending();
    const stranger = uniqueId();
    const update = telegramUpdate({ chatId: stranger, text: "hello?" });
    await postTelegram(update);
    await postTelegram(update);
    await postTelegram(telegramUpdate({ chatId: stranger, text: "hello again?" }));
    const replies = await sentTexts(stranger);
    expect(replies).toHaveLength(2);
    expect(codeIn(replies[0])).toBe(codeIn(replies[1]));
  });

  it("should keep at most three pending requests per channel", async () => {
    await clearPending();
    const strangers = [uniqueId(), uniqueId(), uniqueId(), uniqueId()];
    for (const s of strangers) await postTelegram(telegramUpdate({ chatId: s, text: "hi" }));
    const replies = await Promise.all(strangers.map(async (s) => (await sentTexts(s))[0]));
    expect(replies.slice(0, 3).every((r) => codeIn(r))).toBe(true);
    expect(codeIn(replies[3])).toBeUndefined();
    expect(replies[3]).toContain("too many pending");
  });

  it("should let /pairing deny drop a request so its code no longer works", async () => {
    await clearPending();
    const stranger = uniqueId();
    await postTelegram(telegramUpdate({ chatId: stranger, text: "hi" }));
    const code = codeIn((await sentTexts(stranger))[0])!;
    const owner = uniqueId();
    await approveSender("telegram", String(owner));
    await postTelegram(telegramUpdate({ chatId: owner, text: `/pairing deny ${code}` }));
    await postTelegram(telegramUpdate({ chatId: owner, text: `/pairing approve ${code}` }));
    const ownerReplies = await sentTexts(owner);
    expect(ownerReplies[0]).toContain("Denied");
    expect(ownerReplies[1]).toContain("No pending pairing request");
  });

  it("should let the API key holder list and approve requests (the CLI path)", async () => {
    await clearPending();
    const stranger = uniqueId();
    await postTelegram(telegramUpdate({ chatId: stranger, text: "hi" }));
    const code = codeIn((await sentTexts(stranger))[0])!;
    const chat = async (content: string) => {
      const res = await SELF.fetch("https://gateway.test/v1/chat/completions", {
        method: "POST",
        headers: { authorization: "Bearer key-123", "content-type": "application/json", "x-session-id": `cli-${uniqueToken()}` },
        body: JSON.stringify({ messages: [{ role: "user", content }] }),
      });
      return ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content;
    };
    expect(await chat("/pairing list")).toContain(code);
    expect(await chat(`/pairing approve ${code.toLowerCase()}`)).toContain(`Approved telegram user ${stranger}`);
    expect(await chat(`/pairing revoke telegram ${stranger}`)).toContain("Revoked");
  });

  it("should ignore group messages without a mention and answer @mentions and replies in the group", async () => {
    const group = -uniqueId();
    const token = uniqueToken("grp");
    await postTelegram(telegramUpdate({ chatId: group, fromId: 42, text: `just chatting ${token}` }));
    expect(await runSession(`telegram:${group}`)).toBe(false);
    const text = `@nano_test_bot what now ${token}`;
    await postTelegram(telegramUpdate({ chatId: group, fromId: 42, text, entities: [{ type: "mention", offset: 0, length: 14 }] }));
    await postTelegram(telegramUpdate({ chatId: group, fromId: 42, text: `and this ${token}`, replyToBot: true }));
    await runSession(`telegram:${group}`);
    const replies = await eventually(async () => {
      const sent = await sentTexts(group);
      return sent.length >= 1 && sent;
    });
    expect(replies.join("\n")).toContain(`what now ${token}`);
    expect(replies.join("\n")).not.toContain("just chatting");
    const [call] = await telegramCalls(group, "sendMessage");
    expect(call.params.reply_parameters?.message_id).toBeTypeOf("number");
  });

  it("should never send pairing codes in groups", async () => {
    const group = -uniqueId();
    const stranger = uniqueId();
    await postTelegram(telegramUpdate({ chatId: group, fromId: stranger, text: "@nano_test_bot hi", entities: [{ type: "mention", offset: 0, length: 14 }] }));
    expect(await telegramCalls(group)).toEqual([]);
    expect(await runSession(`telegram:${group}`)).toBe(false);
  });

  it("should allow a sender listed by username", async () => {
    // Approvals and allowFrom entries match the username as well as the numeric id.
    const chat = uniqueId();
    await approveSender("telegram", "friendly_user");
    const token = uniqueToken("uname");
    await postTelegram(telegramUpdate({ chatId: chat, username: "friendly_user", text: `by name ${token}` }));
    await runSession(`telegram:${chat}`);
    await eventually(async () => (await sentTexts(chat)).includes(`echo: by name ${token}`));
  });

  it("should put forum topics in sessions of their own and answer in the topic", async () => {
    const group = -uniqueId();
    const token = uniqueToken("topic");
    await postTelegram(telegramUpdate({ chatId: group, fromId: 42, threadId: 7, text: `@nano_test_bot in topic ${token}`, entities: [{ type: "mention", offset: 0, length: 14 }] }));
    expect(await runSession(`telegram:${group}:topic:7`)).toBe(true);
    const [call] = await atLeast(1, () => telegramCalls(group, "sendMessage"));
    expect(call.params.message_thread_id).toBe(7);
    expect(call.params.text).toContain(`in topic ${token}`);
  });
});
