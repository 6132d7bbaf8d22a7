import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { emailChannel } from "../../src/channels/email/email-channel.ts";
import { recentUndelivered } from "../../src/channels/undelivered.ts";
import type { DoctorReport } from "../../src/doctor/types.ts";
import worker from "../../src/index.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import { llmRequests, standIns, uniqueToken } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

const PASS = "mx.cloudflare.net; dkim=pass header.d=example.com; dmarc=pass header.from=example.com; spf=pass smtp.mailfrom=owner@example.com";

/**
 * Runs the Worker's email() handler with a message shaped as Email Routing hands it over (its replies are
 * recorded). The full platform path, wrangler's local endpoint, is covered by tests/node/email-local-endpoint.test.ts.
 */
async function deliverMail(raw: string, config: unknown): Promise<unknown[]> {
  const replies: unknown[] = [];
  const message = {
    from: "owner@example.com",
    to: "agent@nanobot.test",
    raw: new Response(raw).body!,
    rawSize: raw.length,
    headers: new Headers(),
    canBeForwarded: true,
    setReject: () => {},
    forward: async () => ({ messageId: "<fwd@x>" }),
    reply: async (builder: unknown) => {
      replies.push(builder);
      return { messageId: "<reply@x>" };
    },
  } as unknown as ForwardableEmailMessage;
  await worker.email(message, { ...env, NANOBOT_CONFIG: JSON.stringify(config) });
  return replies;
}

const mail = (id: string, body: string) =>
  [`Authentication-Results: ${PASS}`, "From: <owner@example.com>", "To: <agent@nanobot.test>", "Subject: hi", `Message-ID: <${id}@example.com>`, "", body, ""].join("\r\n");

function currentConfig() {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

describe("email channel", () => {
  it("should drop mail unread while channels.email.consentGranted is false", async () => {
    const token = uniqueToken("noconsent");
    const config = testConfig(standIns());
    config.channels.email.consentGranted = false;
    expect(await deliverMail(mail(token, `hello ${token}`), config)).toEqual([]);
    expect(await llmRequests(token)).toEqual([]);
  });

  it("should refuse anything posted to /webhooks/email: mail arrives through email() only", async () => {
    const res = await SELF.fetch("https://gateway.test/webhooks/email", { method: "POST", body: mail("post", "forged") });
    expect(res.status).toBe(401);
  });

  it("should answer with message.reply() from fromAddress when the mail passes every check", async () => {
    const token = uniqueToken("replyok");
    const replies = await deliverMail(mail(token, `hello ${token}`), testConfig(standIns()));
    expect(replies).toEqual([{ from: "agent@nanobot.test", subject: "Re: hi", text: `echo: Subject: hi\n\nhello ${token}`, attachments: [] }]);
  });

  it("should run a slash command sent as the mail's body and answer it in the thread", async () => {
    const token = uniqueToken("emailcmd");
    const replies = (await deliverMail(mail(token, "/status"), testConfig(standIns()))) as Array<{ subject: string; text: string }>;
    expect(replies).toHaveLength(1);
    expect(replies[0].subject).toBe("Re: hi");
    expect(replies[0].text).toContain("Model: test-model");
  });

  it("should store attachments up to maxAttachmentsPerEmail and tell the model about the rest", async () => {
    const token = uniqueToken("attach");
    const part = (name: string, text: string) => [`--b`, `Content-Type: text/plain; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, "", text];
    const raw = [
      `Authentication-Results: ${PASS}`, "From: <owner@example.com>", "To: <agent@nanobot.test>", "Subject: files", `Message-ID: <${token}@example.com>`,
      'Content-Type: multipart/mixed; boundary="b"', "", "--b", "Content-Type: text/plain", "", `two files ${token}`,
      ...part("one.txt", "first file"), ...part("two.txt", "second file"), "--b--", "",
    ].join("\r\n");
    const config = testConfig(standIns());
    Object.assign(config.channels.email, { maxAttachmentsPerEmail: 1 });
    expect(await deliverMail(raw, config)).toHaveLength(1);
    const [request] = await llmRequests(token);
    const text = JSON.stringify(request.body.messages);
    expect(text).toMatch(/\[Attached file: media\/[\w-]+-one\.txt /);
    expect(text).toContain("[Attachments not stored (larger than channels.email.maxAttachmentSize or beyond maxAttachmentsPerEmail): two.txt (11 bytes)]");
  });

  it("should send proactive mail only to addresses listed in allowFrom, and record the rest", async () => {
    const token = uniqueToken("proactive");
    await emailChannel.outbound.send({ env, config: currentConfig(), target: { chatId: "owner@example.com" }, text: `listed ${token}` });
    expect(await recentUndelivered(env.WORKSPACE, { channel: "email", chatId: "owner@example.com" })).toEqual([]);
    await expect(emailChannel.outbound.send({ env, config: currentConfig(), target: { chatId: "stranger@example.com" }, text: `unlisted ${token}` })).rejects.toThrow(/could not be sent/);
    const [record] = await recentUndelivered(env.WORKSPACE, { channel: "email", chatId: "stranger@example.com" });
    expect(record).toMatchObject({ preview: `unlisted ${token}` });
    expect(record.reason).toContain("not listed in channels.email.allowFrom");

    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request("https://gw/admin/doctor", { headers: { authorization: "Bearer key-123" } }), env, ctx);
    await waitOnExecutionContext(ctx);
    const report = (await res.json()) as DoctorReport;
    const email = report.findings.filter((f) => f.check === "email");
    expect(email[0]).toMatchObject({ status: "ok", detail: "answering mail to agent@nanobot.test from owner@example.com" });
    expect(email.find((f) => f.status === "warn")?.detail).toMatch(/^\d+ mail\(s\) not sent in the last 7 days/);
    const channels = (await (await SELF.fetch("https://gw/admin/channels", { headers: { authorization: "Bearer key-123" } })).json()) as { channels: Array<Record<string, any>> };
    expect(channels.channels.find((c) => c.name === "email")).toMatchObject({ enabled: true, webhook: "email() handler (Email Routing)", bot: "agent@nanobot.test", consentGranted: true, sendEmailBinding: true });
    expect(channels.channels.find((c) => c.name === "email")!.undelivered).toBeGreaterThanOrEqual(1);
  });
});
