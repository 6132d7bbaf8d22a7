import { describe, expect, it } from "vitest";
import { parseDingtalkCallback } from "../../../src/channels/dingtalk/parse-callback.ts";
import { feishuSessionKey, parseFeishuEvent, type FeishuEnvelope } from "../../../src/channels/feishu/parse-event.ts";

const BOT = "ou_bot";

function event(message: Record<string, unknown>, sender: Record<string, unknown> = { sender_id: { open_id: "ou_alice", user_id: "alice" }, sender_type: "user" }): FeishuEnvelope {
  return {
    schema: "2.0",
    header: { event_id: "ev1", event_type: "im.message.receive_v1", token: "t" },
    event: { sender, message: { message_id: "om_1", chat_id: "oc_1", chat_type: "group", message_type: "text", content: "{}", ...message } } as FeishuEnvelope["event"],
  };
}

describe("parseFeishuEvent", () => {
  it("should drop the bot's mention, name other people, and key a topic as its own session", () => {
    const parsed = parseFeishuEvent(
      event({
        content: JSON.stringify({ text: "@_user_1 ask @_user_2 please" }),
        thread_id: "omt_9",
        mentions: [
          { key: "@_user_1", id: { open_id: BOT }, name: "nanobot" },
          { key: "@_user_2", id: { open_id: "ou_bob", user_id: "bob" }, name: "Bob" },
        ],
      }),
      BOT,
    );
    expect(parsed).toMatchObject({ ok: true, message: { text: "ask @Bob please", mentionsBot: true, isGroup: true, threadId: "omt_9", senderId: "ou_alice", eventId: "om_1" } });
    expect(parsed.ok && feishuSessionKey(parsed.message)).toBe("feishu:oc_1:omt_9");
  });

  it("should not count another person's mention as the bot's", () => {
    const parsed = parseFeishuEvent(event({ content: JSON.stringify({ text: "@_user_1 hi" }), mentions: [{ key: "@_user_1", id: { open_id: "ou_bob", user_id: "bob" }, name: "Bob" }] }), BOT);
    expect(parsed).toMatchObject({ ok: true, message: { mentionsBot: false, text: "@Bob hi" } });
  });

  it("should ignore messages from apps, other events, and unsupported message types", () => {
    expect(parseFeishuEvent(event({ content: '{"text":"x"}' }, { sender_id: { open_id: "ou_app" }, sender_type: "app" }), BOT)).toEqual({ ok: false, reason: "message from a bot" });
    expect(parseFeishuEvent({ ...event({}), header: { event_type: "im.chat.member.bot.added_v1" } }, BOT)).toEqual({ ok: false, reason: "unsupported event im.chat.member.bot.added_v1" });
    expect(parseFeishuEvent(event({ message_type: "sticker", content: '{"file_key":"f"}' }), BOT)).toEqual({ ok: false, reason: "unsupported message type sticker" });
  });

  it("should read a voice message as an audio file with its length", () => {
    const parsed = parseFeishuEvent(event({ chat_type: "p2p", message_type: "audio", content: JSON.stringify({ file_key: "file_v3_a", duration: 4200 }) }), null);
    expect(parsed).toMatchObject({ ok: true, message: { isGroup: false }, files: [{ id: "file_v3_a", mimeType: "audio/ogg", durationS: 4.2, url: "im/v1/messages/om_1/resources/file_v3_a?type=file" }] });
  });
});

describe("parseDingtalkCallback", () => {
  const body = {
    msgId: "msg1",
    conversationId: "cid1==",
    conversationType: "1",
    senderStaffId: "alice",
    senderId: "$:LWCP_v1:$x",
    msgtype: "text",
    text: { content: " hi " },
    sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=s1",
    sessionWebhookExpiredTime: 1_900_000_000_000,
  };

  it("should use the sessionWebhook only on DingTalk's own host", () => {
    expect(parseDingtalkCallback(body, "https://oapi.dingtalk.com")).toMatchObject({ ok: true, message: { chatId: "alice", text: "hi", replyWebhook: { url: body.sessionWebhook, expiresAt: 1_900_000_000_000 } } });
    const elsewhere = parseDingtalkCallback({ ...body, sessionWebhook: "https://attacker.example/robot/sendBySession?session=s1" }, "https://oapi.dingtalk.com");
    expect(elsewhere.ok && elsewhere.message.replyWebhook).toBeUndefined();
  });

  it("should key a group by its conversation and read the @mention flag", () => {
    expect(parseDingtalkCallback({ ...body, conversationType: "2", isInAtList: false }, "https://oapi.dingtalk.com")).toMatchObject({ ok: true, message: { chatId: "group:cid1==", isGroup: true, mentionsBot: false } });
  });

  it("should take DingTalk's transcript of a voice message as the text", () => {
    expect(parseDingtalkCallback({ ...body, msgtype: "audio", text: undefined, content: { recognition: "remind me at five", downloadCode: "d" } }, "https://oapi.dingtalk.com")).toMatchObject({ ok: true, message: { text: "remind me at five" }, files: [] });
  });
});
