import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { whatsappChannel } from "../../src/channels/whatsapp/whatsapp-channel.ts";
import { loadConfig } from "../../src/config/load-config.ts";
import type { Config } from "../../src/config/schema.ts";
import type { DoctorReport } from "../../src/doctor/types.ts";
import worker from "../../src/index.ts";
import { approveSender, atLeast, postTelegram, runSession, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { postWhatsapp, waId, whatsappCalls, whatsappInbound, whatsappMessage, whatsappTexts } from "../support/whatsapp-script.ts";

const DAY_MS = 24 * 3600_000;

function config(patch: (c: Config) => void = () => {}): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.error.message);
  const copy = structuredClone(result.config);
  patch(copy);
  return copy;
}

async function admin(path: string): Promise<any> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://gw/admin${path}`, { headers: { authorization: "Bearer key-123" } }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res.json();
}

const toolResults = async (token: string) =>
  (await llmRequests(token)).flatMap((r) => (r.body.messages as Array<{ role: string; content: string }>).filter((m) => m.role === "tool").map((m) => m.content));

describe("WhatsApp's 24-hour customer service window", () => {
  it("should record a proactive message it could not deliver and say so in /status, doctor and channels status", async () => {
    const from = waId();
    await approveSender("whatsapp", from);
    await postWhatsapp(whatsappMessage(from, { type: "text", text: { body: "hello" } }));
    await runSession(`whatsapp:${from}`);
    await atLeast(1, () => whatsappTexts(from));
    // A day passes without the user writing: the platform now refuses free-form messages to them.
    await whatsappInbound(from, Date.now() - DAY_MS - 60_000);

    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("wawindow");
    await scriptLlm(token, [{ toolCalls: [{ name: "message", arguments: { content: `reminder ${token}`, channel: "whatsapp", chat_id: from } }] }, { content: "tried" }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `remind them ${token}` }));
    await runSession(`telegram:${chat}`);
    const [result] = await atLeast(1, () => toolResults(token));
    expect(result).toMatch(/^Error: .*24-hour customer service window is closed/);
    expect(await whatsappTexts(from)).toHaveLength(1);
    expect((await whatsappCalls(from, "text")).at(-1)).toMatchObject({ status: 400 });

    // The user writes again (the window opens) and asks for the status.
    await postWhatsapp(whatsappMessage(from, { type: "text", text: { body: "/status" } }));
    const texts = await atLeast(2, () => whatsappTexts(from));
    expect(texts[1]).toContain(`⚠️ Not delivered: 1 message(s) to this chat in the last 7 days`);
    expect(texts[1]).toContain(`("reminder ${token}")`);
    expect(texts[1]).toContain("channels.whatsapp.template.name is not set");

    const report = (await admin("/doctor")) as DoctorReport;
    const warning = report.findings.find((f) => f.check === "whatsapp" && f.status === "warn");
    expect(warning?.detail).toMatch(/^\d+ message\(s\) not delivered in the last 7 days/);
    expect(warning?.fix).toContain("channels.whatsapp.template.name");
    const { channels } = await admin("/channels");
    expect(channels.find((c: { name: string }) => c.name === "whatsapp").undelivered).toBeGreaterThanOrEqual(1);
  });

  it("should send the configured template, with the text as its variable, once the window is closed", async () => {
    const to = waId();
    await whatsappInbound(to, Date.now() - 2 * DAY_MS);
    const withTemplate = config((c) => (c.channels.whatsapp.template = { name: "nanobot_update", language: "en_US" }));
    await whatsappChannel.outbound.send({ env, config: withTemplate, target: { chatId: to }, text: "Your **report** is ready" });
    const calls = await whatsappCalls(to);
    expect(calls.map((c) => `${c.type}:${c.status}`)).toEqual(["text:400", "template:200"]);
    expect(calls[1].body.template).toEqual({ name: "nanobot_update", language: { code: "en_US" }, components: [{ type: "body", parameters: [{ type: "text", text: "Your *report* is ready" }] }] });
  });

  it("should record, not retry forever, a reply (cron, heartbeat) the closed window refused", async () => {
    const to = waId();
    await whatsappInbound(to, Date.now() - 2 * DAY_MS);
    const token = uniqueToken("wacron");
    const request = { sessionKey: `whatsapp:${to}`, workspaceId: "main", message: { channel: "whatsapp", chatId: to, senderId: to, text: "" }, automation: "cron" };
    const reply = { content: `daily digest ${token}`, model: "m", usage: { promptTokens: 0, completionTokens: 0 }, stopReason: "completed" };
    // Resolves (the session marks it delivered) instead of throwing into the retry loop.
    await whatsappChannel.outbound.deliver({ env, config: config(), request, reply, inboxId: 1 });
    const refused = config((c) => (c.channels.whatsapp.template = { name: "not_approved", language: "de" }));
    await whatsappChannel.outbound.deliver({ env, config: refused, request, reply, inboxId: 2 });
    const { recentUndelivered } = await import("../../src/channels/undelivered.ts");
    const records = await recentUndelivered(env.WORKSPACE, { channel: "whatsapp", chatId: to });
    expect(records.map((r) => r.preview)).toEqual([`daily digest ${token}`, `daily digest ${token}`]);
    expect(records[0].reason).toContain('the template "not_approved" (de) was refused');
    expect(records[1].reason).toContain("channels.whatsapp.template.name is not set");
  });
});

describe("doctor's WhatsApp line", () => {
  async function doctorFor(patch: (c: Config) => void) {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request("https://gw/admin/doctor", { headers: { authorization: "Bearer key-123" } }), { ...env, NANOBOT_CONFIG: JSON.stringify(config(patch)) }, ctx);
    await waitOnExecutionContext(ctx);
    return ((await res.json()) as DoctorReport).findings.filter((f) => f.check === "whatsapp" && f.status !== "warn");
  }

  it("should name the phone number when token and id are right, and say what to fix when they are not", async () => {
    expect(await doctorFor(() => {})).toEqual([{ check: "whatsapp", status: "ok", detail: "phone number +1 555-0001 (Nanobot Test); webhook https://gw/webhooks/whatsapp", fix: "" }]);
    const [badToken] = await doctorFor((c) => (c.channels.whatsapp.accessToken = "EAA-bad"));
    expect(badToken).toMatchObject({ status: "fail", detail: expect.stringContaining("the access token is wrong or expired") });
    expect(JSON.stringify(badToken)).not.toContain("EAA-bad");
    const [badId] = await doctorFor((c) => (c.channels.whatsapp.phoneNumberId = "15550001"));
    expect(badId).toMatchObject({ status: "fail", fix: expect.stringContaining("Phone number ID") });
    const missing = await doctorFor((c) => (c.channels.whatsapp.appSecret = ""));
    expect(missing.map((f) => f.detail)).toContain("channels.whatsapp.appSecret is empty");
  });
});
