import { describe, expect, it } from "vitest";
import { parseSlackEvent, slackSessionKey, type SlackEnvelope } from "../../../src/channels/slack/parse-event.ts";
import { slackSignature, verifySlackSignature } from "../../../src/channels/slack/verify-signature.ts";

const envelope = (event: Record<string, unknown>): SlackEnvelope => ({ type: "event_callback", event_id: "Ev1", event: { ts: "1.5", channel: "C1", ...event } as SlackEnvelope["event"] });

describe("verifySlackSignature", () => {
  it("should accept Slack's documented example signature", async () => {
    // From Slack's "Verifying requests from Slack" guide.
    const body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const ok = await verifySlackSignature({ secret: "8f742231b10e8888abcd99yyyzzz85a5", timestamp: "1531420618", signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", rawBody: body, nowS: 1531420618 });
    expect(ok).toBe(true);
  });

  it("should reject a changed body, a wrong secret and timestamps outside five minutes", async () => {
    const sig = await slackSignature("s", "1000", "{}");
    expect(await verifySlackSignature({ secret: "s", timestamp: "1000", signature: sig, rawBody: "{}", nowS: 1000 })).toBe(true);
    expect(await verifySlackSignature({ secret: "s", timestamp: "1000", signature: sig, rawBody: "{ }", nowS: 1000 })).toBe(false);
    expect(await verifySlackSignature({ secret: "t", timestamp: "1000", signature: sig, rawBody: "{}", nowS: 1000 })).toBe(false);
    expect(await verifySlackSignature({ secret: "s", timestamp: "1000", signature: sig, rawBody: "{}", nowS: 1301 })).toBe(false);
    expect(await verifySlackSignature({ secret: "s", timestamp: null, signature: sig, rawBody: "{}", nowS: 1000 })).toBe(false);
  });
});

describe("parseSlackEvent", () => {
  it("should answer channel mentions in a thread session and DMs in the DM session", () => {
    const mention = parseSlackEvent(envelope({ type: "app_mention", user: "U1", text: "<@UBOT> hi &amp; bye", channel_type: "channel" }), "UBOT", { replyInThread: true });
    expect(mention.ok && mention.message).toMatchObject({ text: "hi & bye", threadId: "1.5", isGroup: true, mentionsBot: true, eventId: "Ev1" });
    expect(mention.ok && slackSessionKey(mention.message)).toBe("slack:C1:1.5");
    const dm = parseSlackEvent(envelope({ type: "message", user: "U1", text: "hey", channel: "D1", channel_type: "im" }), "UBOT", { replyInThread: true });
    expect(dm.ok && slackSessionKey(dm.message)).toBe("slack:D1");
  });

  it("should skip the message copy of a mention, bot messages and edits", () => {
    const opts = { replyInThread: true };
    expect(parseSlackEvent(envelope({ type: "message", user: "U1", text: "<@UBOT> hi", channel_type: "channel" }), "UBOT", opts).ok).toBe(false);
    expect(parseSlackEvent(envelope({ type: "message", bot_id: "B1", text: "hi", channel_type: "im" }), "UBOT", opts).ok).toBe(false);
    expect(parseSlackEvent(envelope({ type: "message", subtype: "message_changed", channel_type: "im" }), "UBOT", opts).ok).toBe(false);
  });
});
