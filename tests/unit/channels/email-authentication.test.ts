import { describe, expect, it } from "vitest";
import { authVerdict } from "../../../src/channels/email/authentication-results.ts";
import { emailSessionKey, mailToMessage } from "../../../src/channels/email/mail-envelope.ts";
import { messageIds, parseMail, replySubject, threadRoot } from "../../../src/channels/email/parse-mail.ts";

const ar = (value: string) => ({ key: "authentication-results", value });

describe("authVerdict", () => {
  it("should pass only when SPF, DKIM and DMARC all say pass", () => {
    expect(authVerdict([ar("mx.cloudflare.net; dkim=pass header.d=a.com; dmarc=pass header.from=a.com; spf=pass smtp.mailfrom=x@a.com")])).toEqual({ pass: true, summary: "spf=pass dkim=pass dmarc=pass" });
    expect(authVerdict([ar("mx.cloudflare.net; dkim=pass; dmarc=fail; spf=pass")]).pass).toBe(false);
    expect(authVerdict([ar("mx.cloudflare.net; dkim=none; dmarc=pass; spf=pass")]).summary).toBe("spf=pass dkim=none dmarc=pass");
    expect(authVerdict([ar("mx.cloudflare.net; spf=softfail")]).summary).toBe("spf=softfail dkim=none dmarc=none");
    expect(authVerdict([])).toEqual({ pass: false, summary: "no Authentication-Results header" });
  });

  it("should accept one passing DKIM signature among several", () => {
    expect(authVerdict([ar("mx.cloudflare.net; dkim=fail header.d=relay.net; dkim=pass header.d=a.com; dmarc=pass; spf=pass")]).pass).toBe(true);
  });

  it("should read only the topmost header, which the receiving server added, not forged ones below it", () => {
    const forgedBelow = [ar("mx.cloudflare.net; dkim=fail; dmarc=fail; spf=fail"), ar("evil.example; dkim=pass; dmarc=pass; spf=pass")];
    expect(authVerdict(forgedBelow).pass).toBe(false);
  });

  it("should not be fooled by results inside comments or inside property values the sender chose", () => {
    expect(authVerdict([ar("mx.cloudflare.net; spf=fail (dmarc=pass dkim=pass spf=pass) smtp.mailfrom=x@a.com")]).pass).toBe(false);
    expect(authVerdict([ar("mx.cloudflare.net; dkim=none; dmarc=fail; spf=fail smtp.mailfrom=spf=pass.dkim=pass.dmarc=pass@evil.example")]).summary).toBe("spf=fail dkim=none dmarc=fail");
  });
});

describe("mail threads", () => {
  it("should name the first References id as the thread, else In-Reply-To, else the message itself", () => {
    expect(threadRoot({ messageId: "<c@x>", inReplyTo: "<b@x>", references: "<a@x> <b@x>" })).toBe("<a@x>");
    expect(threadRoot({ messageId: "<c@x>", inReplyTo: "<b@x>" })).toBe("<b@x>");
    expect(threadRoot({ messageId: "<c@x>" })).toBe("<c@x>");
    expect(messageIds("<a@x>\r\n <b@x>")).toEqual(["<a@x>", "<b@x>"]);
    expect(replySubject("Re: plans")).toBe("Re: plans");
    expect(replySubject("plans")).toBe("Re: plans");
  });

  it("should turn an HTML-only mail into text and decode attachments", async () => {
    const raw = [
      "From: =?utf-8?q?J=C3=BCrgen?= <J@Example.com>",
      "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=",
      "Message-ID: <h1@example.com>",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<p>Hello <b>there</b></p><p>second</p>",
      "--b",
      'Content-Type: application/pdf; name="a.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      btoa("%PDF-1.4"),
      "--b--",
      "",
    ].join("\r\n");
    const mail = await parseMail(new TextEncoder().encode(raw).buffer as ArrayBuffer);
    expect(mail).toMatchObject({ from: "j@example.com", fromName: "Jürgen", subject: "Grüße", messageId: "<h1@example.com>" });
    expect(mail.text).toContain("Hello there");
    expect(mail.text).not.toContain("<b>");
    expect(mail.attachments.map((a) => [a.filename, a.mimeType, new TextDecoder().decode(a.content)])).toEqual([["a.pdf", "application/pdf", "%PDF-1.4"]]);
  });
});

describe("mailToMessage", () => {
  const cfg = { enabled: true, consentGranted: true, fromAddress: "agent@x.test", allowFrom: ["a@example.com"], apiRoot: "", replyWaitS: 120, maxBodyChars: 12_000, maxAttachmentSize: 1000, maxAttachmentsPerEmail: 5 };
  const envelope = (headers: Array<[string, string]>, from = "a@example.com") => ({
    mail: {
      from,
      subject: "s",
      messageId: "<1@example.com>",
      text: "body",
      headers: [{ key: "authentication-results", value: "mx.cloudflare.net; dkim=pass; dmarc=pass; spf=pass" }, ...headers.map(([key, value]) => ({ key, value }))],
    },
    envelopeFrom: from,
    to: "agent@x.test",
    attachments: [],
  });

  it("should take authenticated mail from a listed sender, with the subject in the text and one session per sender and thread", () => {
    const decision = mailToMessage(envelope([]), cfg);
    expect(decision.ok && decision.message).toMatchObject({ channel: "email", chatId: "a@example.com", text: "Subject: s\n\nbody", threadId: "<1@example.com>", eventId: "<1@example.com>" });
    expect(decision.ok && emailSessionKey(decision.message)).toBe("email:a@example.com:<1@example.com>");
  });

  it("should drop auto-replies, list mail, unlisted senders and mail from its own address", () => {
    const reason = (e: ReturnType<typeof envelope>, c = cfg) => {
      const d = mailToMessage(e, c);
      return d.ok ? "taken" : d.reason;
    };
    expect(reason(envelope([["auto-submitted", "auto-replied"]]))).toBe("automatic or list mail");
    expect(reason(envelope([["list-id", "<news.example.com>"]]))).toBe("automatic or list mail");
    expect(reason(envelope([["precedence", "bulk"]]))).toBe("automatic or list mail");
    expect(reason(envelope([], "b@example.com"))).toBe("sender not in channels.email.allowFrom");
    expect(reason(envelope([], "agent@x.test"), { ...cfg, allowFrom: ["*"] })).toBe("mail from our own address");
    expect(reason(envelope([["auto-submitted", "no"]]))).toBe("taken");
  });

  it("should cut the body at maxBodyChars and tell the model which attachments were left out", () => {
    const long = { ...envelope([]), skipped: ["big.zip (5000000 bytes)"] };
    long.mail.text = "x".repeat(30);
    const decision = mailToMessage(long, { ...cfg, maxBodyChars: 10 });
    expect(decision.ok && decision.message.text).toBe(
      "Subject: s\n\nxxxxxxxxxx\n[… the rest of the mail (20 characters) was cut: channels.email.maxBodyChars]\n\n[Attachments not stored (larger than channels.email.maxAttachmentSize or beyond maxAttachmentsPerEmail): big.zip (5000000 bytes)]",
    );
  });
});
