/**
 * The `message` tool's media and buttons on the real platform APIs (stand-ins): a workspace image arrives as
 * a Telegram photo / Slack upload, other files as documents, buttons as an inline keyboard / Block Kit
 * actions, and a press comes back through the webhook as the user's next message in the same session.
 */
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { approveSender, atLeast, eventually, postSlack, postTelegram, runSession, slackCalls, slackChannelId, slackEvent, slackTs, telegramCalls, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { slackSignature } from "../../src/channels/slack/verify-signature.ts";
import { openSocket } from "../support/ws-client.ts";

/** A PNG as far as magic bytes go (Telegram's stand-in does not decode images). */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

/** Tool results as the model saw them in its latest request for this token. */
const toolResults = async (token: string) =>
  ((await llmRequests(token)).at(-1)?.body.messages as Array<{ role: string; content: string }> | undefined)?.filter((m) => m.role === "tool").map((m) => m.content) ?? [];

async function putWorkspaceFiles(token: string): Promise<{ image: string; csv: string }> {
  const image = `out/chart-${token}.png`;
  const csv = `out/report-${token}.csv`;
  await env.WORKSPACE.put(`workspaces/main/${image}`, PNG, { httpMetadata: { contentType: "image/png" } });
  await env.WORKSPACE.put(`workspaces/main/${csv}`, "a,b\n1,2\n", { httpMetadata: { contentType: "text/csv" } });
  return { image, csv };
}

describe("the message tool on Telegram", () => {
  it("should send a workspace image as a photo, a CSV as a document, and buttons as an inline keyboard; a press is answered and becomes the next message", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgmedia");
    const files = await putWorkspaceFiles(token);
    const yes = `Yes ${token}`;
    await scriptLlm(token, [
      { toolCalls: [{ name: "message", arguments: { content: "Here is the chart. Publish it?", media: [files.image, files.csv], buttons: [[yes, "No"]] } }] },
      { content: "Waiting for your choice." },
    ]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `chart ${token}` }));
    await runSession(`telegram:${chat}`);

    const [photo] = await atLeast(1, () => telegramCalls(chat, "sendPhoto"));
    expect(photo.status).toBe(200);
    expect(photo.params.photo).toMatchObject({ filename: `chart-${token}.png`, size: PNG.length });
    const [doc] = await telegramCalls(chat, "sendDocument");
    expect(doc.params.document).toMatchObject({ filename: `report-${token}.csv`, size: 8 });
    const withKeyboard = (await telegramCalls(chat, "sendMessage")).find((c) => c.params.reply_markup)!;
    expect(withKeyboard.params.reply_markup).toEqual({ inline_keyboard: [[{ text: yes, callback_data: yes }, { text: "No", callback_data: "No" }]] });
    // The text (with its keyboard) goes first, then the files, as a reply with media is delivered.
    expect(withKeyboard.seq).toBeLessThan(photo.seq);
    expect((await toolResults(token)).at(-1)).toBe(`Message sent to telegram:${chat} with 2 attachments with 2 button(s)`);

    // The press: Telegram posts a callback_query update for the message with the keyboard.
    const press = {
      update_id: uniqueId(),
      callback_query: {
        id: `cbq-${token}`,
        from: { id: chat, is_bot: false, first_name: "Test" },
        chat_instance: "ci-1",
        data: yes,
        message: { message_id: withKeyboard.messageId, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: "private", first_name: "Test" }, text: "Here is the chart. Publish it?" },
      },
    };
    expect((await postTelegram(press)).status).toBe(200);
    // answerCallbackQuery names the query, not the chat.
    const answers = (await fetch(`${standIns().telegram}/__calls?method=answerCallbackQuery`).then((r) => r.json())) as Array<{ params: Record<string, unknown>; status: number }>;
    expect(answers.filter((c) => c.params.callback_query_id === `cbq-${token}`).map((c) => c.status)).toEqual([200]);
    const cleared = (await telegramCalls(chat, "editMessageReplyMarkup")).find((c) => c.params.message_id === withKeyboard.messageId);
    expect(cleared?.params.reply_markup).toEqual({ inline_keyboard: [] });
    await runSession(`telegram:${chat}`);
    // Same session: the model sees the earlier turn and the pressed label as the user's message.
    const reply = await eventually(async () => (await telegramCalls(chat, "sendMessage")).find((c) => String(c.params.text) === `echo: ${yes}`));
    expect(reply.status).toBe(200);
    // Redelivery of the same update is not a second press.
    await postTelegram(press);
    await runSession(`telegram:${chat}`);
    expect((await telegramCalls(chat, "sendMessage")).filter((c) => String(c.params.text) === `echo: ${yes}`)).toHaveLength(1);
  });

  it("should refuse media outside the workspace and files that do not exist, without sending anything", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgbad");
    await scriptLlm(token, [
      { toolCalls: [{ name: "message", arguments: { content: "x", media: ["../../etc/passwd"] } }] },
      { toolCalls: [{ name: "message", arguments: { content: "y", media: [`missing-${token}.png`] } }] },
      { content: "ok" },
    ]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `bad ${token}` }));
    await runSession(`telegram:${chat}`);
    const results = await eventually(async () => {
      const r = await toolResults(token);
      return r.length >= 2 && r;
    });
    expect(results[0]).toMatch(/^Error: .*(outside the configured workspace|path traversal detected)/);
    expect(results[1]).toMatch(/^Error: File not found: missing-/);
    expect(await telegramCalls(chat, "sendPhoto")).toEqual([]);
    expect((await telegramCalls(chat, "sendMessage")).map((c) => c.params.text)).not.toContain("x");
  });
});

describe("the message tool on Slack", () => {
  it("should upload a workspace image and post buttons as Block Kit; a block_actions press becomes the next message", async () => {
    const dm = slackChannelId("D");
    const token = uniqueToken("slmedia");
    const files = await putWorkspaceFiles(token);
    const yes = `Yes ${token}`;
    await scriptLlm(token, [
      { toolCalls: [{ name: "message", arguments: { content: "Chart attached. Publish?", media: [files.image], buttons: [[yes, "No"]] } }] },
      { content: "Waiting." },
    ]);
    await postSlack(slackEvent({ type: "message", channel: dm, channel_type: "im", user: "U1", text: `chart ${token}`, ts: slackTs() }));
    await runSession(`slack:${dm}`);

    const [complete] = await atLeast(1, () => slackCalls(dm, "files.completeUploadExternal"));
    expect(complete.params.uploaded[0]).toMatchObject({ filename: `chart-${token}.png` });
    expect(atob(complete.params.uploaded[0].base64).length).toBe(PNG.length);
    const withButtons = (await slackCalls(dm, "chat.postMessage")).find((c) => c.params.blocks)!;
    expect(withButtons.params.blocks[1]).toMatchObject({
      type: "actions",
      elements: [
        { type: "button", text: { type: "plain_text", text: yes }, value: yes },
        { type: "button", text: { type: "plain_text", text: "No" }, value: "No" },
      ],
    });

    // Slack posts interactivity form-encoded (`payload=`), signed like events.
    const payload = {
      type: "block_actions",
      user: { id: "U1", username: "test" },
      channel: { id: dm },
      container: { type: "message", channel_id: dm, message_ts: "1.000001" },
      message: { ts: "1.000001", text: "Chart attached. Publish?" },
      actions: [{ type: "button", action_id: "nanobot_button_0_0", block_id: "nanobot_buttons_0", value: yes, action_ts: `${Date.now() / 1000}` }],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await SELF.fetch("https://gateway.test/webhooks/slack", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": timestamp, "x-slack-signature": await slackSignature("slack-secret", timestamp, body) },
      body,
    });
    expect(res.status).toBe(200);
    await runSession(`slack:${dm}`);
    const reply = await eventually(async () => (await slackCalls(dm, "chat.postMessage")).find((c) => String(c.params.text) === `echo: ${yes}`));
    expect(reply).toBeDefined();
  });
});

describe("Slack send with buttons", () => {
  it("should keep every word of a long text: only the last short part carries the buttons", async () => {
    const dm = slackChannelId("D");
    const words = Array.from({ length: 1200 }, (_, i) => `w${i}`);
    const config = JSON.parse(env.NANOBOT_CONFIG as string);
    const { slackChannel } = await import("../../src/channels/slack/slack-channel.ts");
    const { configSchema } = await import("../../src/config/schema.ts");
    await slackChannel.outbound.send({ env, config: configSchema.parse(config), target: { chatId: dm }, text: words.join(" "), buttons: [["OK"]] });
    const posts = await slackCalls(dm, "chat.postMessage");
    expect(posts.filter((c) => c.params.blocks)).toHaveLength(1);
    const sent = posts.map((c) => (c.params.blocks ? c.params.blocks[0].text.text : c.params.text)).join(" ");
    for (const w of [words[0], words[600], words.at(-1)!]) expect(sent.split(/\s+/)).toContain(w);
  });
});

describe("the message tool in the WebUI", () => {
  it("should list buttons as text and refuse files, which the WebUI cannot receive from the agent", async () => {
    const sock = await openSocket(uniqueToken("c"));
    const { chat_id } = await sock.next((e) => e.event === "ready");
    const token = uniqueToken("wsbtn");
    await scriptLlm(token, [
      { toolCalls: [{ name: "message", arguments: { content: `Pick ${token}`, buttons: [["A", "B"]] } }] },
      { toolCalls: [{ name: "message", arguments: { content: "file", media: ["AGENTS.md"] } }] },
      { content: "ok" },
    ]);
    sock.sendJson({ type: "message", chat_id, content: `choose ${token}` });
    await sock.next((e) => e.event === "turn_end");
    expect(sock.events.find((e) => e.event === "message" && String(e.text).startsWith(`Pick`))).toMatchObject({ text: `Pick ${token}\n\n[A] [B]` });
    const results = await toolResults(token);
    expect(results[0]).toMatch(/^Message sent to websocket:.* with 2 button\(s\)$/);
    expect(results[1]).toMatch(/^Error: channel 'websocket' cannot receive files/);
    sock.ws.close(1000);
  });
});
