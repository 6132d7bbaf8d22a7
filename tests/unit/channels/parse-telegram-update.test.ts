import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { parseTelegramUpdate, telegramSessionKey } from "../../../src/channels/telegram/parse-update.ts";

const bot = { id: 99, username: "my_bot" };
const from = { id: 5, is_bot: false, first_name: "Ann", last_name: "Lee", username: "ann" };

function update(message: Record<string, unknown>): Update {
  return { update_id: 77, message: { message_id: 3, date: 0, from, chat: { id: 5, type: "private", first_name: "Ann" }, ...message } } as unknown as Update;
}

describe("parseTelegramUpdate", () => {
  it("should normalise a DM with sender, ids and event id", () => {
    const parsed = parseTelegramUpdate(update({ text: "hello" }), bot);
    expect(parsed).toEqual({
      ok: true,
      files: [],
      message: { channel: "telegram", chatId: "5", senderId: "5", senderUsername: "ann", senderName: "Ann Lee", text: "hello", threadId: undefined, isGroup: false, mentionsBot: false, replyTo: undefined, messageId: "3", eventId: "77" },
    });
  });

  it("should see @username, text_mention, /cmd@bot and replies to the bot as mentions in groups", () => {
    const group = { chat: { id: -10, type: "supergroup", title: "g" } };
    const cases: Array<Record<string, unknown>> = [
      { text: "@My_Bot hi", entities: [{ type: "mention", offset: 0, length: 7 }] },
      { text: "Nano hi", entities: [{ type: "text_mention", offset: 0, length: 4, user: { id: 99, is_bot: true, first_name: "Nano" } }] },
      { text: "/status@my_bot", entities: [{ type: "bot_command", offset: 0, length: 14 }] },
      { text: "sure", reply_to_message: { message_id: 1, date: 0, chat: group.chat, from: { id: 99, is_bot: true, first_name: "Nano" } } },
    ];
    for (const c of cases) {
      const parsed = parseTelegramUpdate(update({ ...group, ...c }), bot);
      expect(parsed.ok && parsed.message.mentionsBot).toBe(true);
    }
    const other = parseTelegramUpdate(update({ ...group, text: "@other_bot hi", entities: [{ type: "mention", offset: 0, length: 10 }] }), bot);
    expect(other.ok && other.message.mentionsBot).toBe(false);
  });

  it("should drop the bot's handle from group text", () => {
    const parsed = parseTelegramUpdate(update({ chat: { id: -10, type: "group", title: "g" }, text: "@my_bot what time is it", entities: [{ type: "mention", offset: 0, length: 7 }] }), bot);
    expect(parsed.ok && parsed.message.text).toBe("what time is it");
  });

  it("should keep forum topics apart in the session key", () => {
    const parsed = parseTelegramUpdate(update({ chat: { id: -10, type: "supergroup", title: "g", is_forum: true }, text: "x", message_thread_id: 4, is_topic_message: true }), bot);
    expect(parsed.ok && telegramSessionKey(parsed.message)).toBe("telegram:-10:topic:4");
    expect(telegramSessionKey({ chatId: "5" })).toBe("telegram:5");
  });

  it("should take the largest photo size, voice and documents as files", () => {
    const parsed = parseTelegramUpdate(
      update({ caption: "look", photo: [{ file_id: "small", file_unique_id: "a", width: 1, height: 1 }, { file_id: "big", file_unique_id: "b", width: 9, height: 9 }], document: { file_id: "doc", file_unique_id: "c", file_name: "a.pdf", mime_type: "application/pdf" } }),
      bot,
    );
    expect(parsed.ok && parsed.files.map((f) => f.id)).toEqual(["big", "doc"]);
  });

  it("should ignore edits, bots and service messages", () => {
    expect(parseTelegramUpdate({ update_id: 1, edited_message: {} } as unknown as Update, bot).ok).toBe(false);
    expect(parseTelegramUpdate(update({ from: { id: 8, is_bot: true, first_name: "b" }, text: "x" }), bot).ok).toBe(false);
    expect(parseTelegramUpdate(update({ new_chat_members: [] }), bot).ok).toBe(false);
  });
});
