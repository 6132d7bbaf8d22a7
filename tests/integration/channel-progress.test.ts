/**
 * What people see while a turn runs (nanobot's channels.sendProgress / sendToolHints / showReasoning, all on
 * by default): one status message with the model's interim text, its reasoning and the running tool, edited
 * as the turn moves on and deleted when the answer arrives; Telegram's 👀 → ✅ reactions.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { streamTurn } from "../../src/session-protocol/session-client.ts";
import { approveSender, atLeast, eventually, postSlack, postTelegram, runSession, slackCalls, slackChannelId, slackEvent, slackTs, telegramCalls, telegramFault, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { scriptLlm, uniqueToken } from "../support/llm-script.ts";
import type { ScriptStep } from "../support/stand-in-llm-types.ts";

/** Two tool rounds, each next model answer 1.5 s away, so the status line (1 edit/s) shows and is edited. */
const slowToolTurn = (token: string): ScriptStep[] => [
  { reasoning: "Checking the notes first", content: "Let me look", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
  { delayMs: 1500, toolCalls: [{ name: "read_file", arguments: { path: `notes-${token}.md` } }] },
  { delayMs: 1500, content: `done ${token}` },
];

describe("progress in Telegram", () => {
  it("should show a status line with the reasoning and tool, edit it, then delete it before the answer", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("tgprog");
    await scriptLlm(token, slowToolTurn(token));
    const update = telegramUpdate({ chatId: chat, text: `check ${token}` });
    await postTelegram(update);
    await runSession(`telegram:${chat}`);

    const calls = await eventually(async () => {
      const all = await telegramCalls(chat);
      return all.some((c) => c.method === "deleteMessage") && all;
    });
    const status = calls.find((c) => c.method === "sendMessage" && String(c.params.text).includes("🔧"));
    // The interim text ("Let me look") is streamed into the reply preview, so the status line leaves it out.
    expect(status?.params.text).toBe("💭 Checking the notes first\n🔧 ls .");
    const edits = calls.filter((c) => c.method === "editMessageText" && c.params.message_id === status!.messageId);
    expect(edits.map((c) => c.params.text)).toContain(`🔧 read notes-${token}.md`);
    const deleted = calls.find((c) => c.method === "deleteMessage")!;
    expect(deleted.params.message_id).toBe(status!.messageId);
    expect(deleted.status).toBe(200);
    // Edits at most one a second: the first edit is at least ~1 s after the status appeared.
    expect(edits[0].at - status!.at).toBeGreaterThanOrEqual(900);
    // The status line is gone before the answer is shown.
    const answer = calls.find((c) => (c.method === "sendMessage" || c.method === "editMessageText") && String(c.params.text).includes(`done ${token}`))!;
    expect(deleted.seq).toBeLessThan(answer.seq);
  });

  it("should react 👀 when the turn starts and ✅ once the answer is delivered", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const update = telegramUpdate({ chatId: chat, text: `hi ${uniqueToken("react")}` });
    const messageId = (update.message as { message_id: number }).message_id;
    await postTelegram(update);
    await runSession(`telegram:${chat}`);
    const reactions = await atLeast(2, () => telegramCalls(chat, "setMessageReaction"));
    expect(reactions.map((c) => [c.params.message_id, c.params.reaction])).toEqual([
      [messageId, [{ type: "emoji", emoji: "👀" }]],
      [messageId, [{ type: "emoji", emoji: "✅" }]],
    ]);
    const answered = (await telegramCalls(chat, "sendMessage")).at(-1)!;
    expect(reactions[1].seq).toBeGreaterThan(answered.seq);
  });

  it("should not react to slash commands, and deliver the answer when the status line cannot be removed", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    await postTelegram(telegramUpdate({ chatId: chat, text: "/status" }));
    await atLeast(1, () => telegramCalls(chat, "sendMessage"));
    expect(await telegramCalls(chat, "setMessageReaction")).toEqual([]);

    const token = uniqueToken("tgfail");
    await scriptLlm(token, slowToolTurn(token));
    await telegramFault({ method: "deleteMessage", chat: String(chat), count: 1, status: 400, description: "Bad Request: message can't be deleted" });
    await postTelegram(telegramUpdate({ chatId: chat, text: `again ${token}` }));
    await runSession(`telegram:${chat}`);
    const calls = await eventually(async () => {
      const all = await telegramCalls(chat);
      return all.some((c) => c.status === 200 && String(c.params.text).includes(`done ${token}`)) && all;
    });
    expect(calls.find((c) => c.method === "deleteMessage")?.status).toBe(400);
    expect(calls.filter((c) => c.method === "setMessageReaction").at(-1)?.params.reaction).toEqual([{ type: "emoji", emoji: "✅" }]);
  });
});

describe("progress in Slack", () => {
  it("should post a status message in the conversation, update it, and delete it before the answer", async () => {
    const dm = slackChannelId("D");
    const token = uniqueToken("slprog");
    await scriptLlm(token, slowToolTurn(token));
    await postSlack(slackEvent({ type: "message", channel: dm, channel_type: "im", user: "U1", text: `check ${token}`, ts: slackTs() }));
    await runSession(`slack:${dm}`);
    const calls = await eventually(async () => {
      const all = await slackCalls(dm);
      return all.some((c) => c.method === "chat.delete") && all.some((c) => c.method === "chat.postMessage" && String(c.params.text).includes(`done ${token}`)) && all;
    });
    const status = calls.find((c) => c.method === "chat.postMessage" && String(c.params.text).includes("🔧"))!;
    expect(status.params.text).toBe("Let me look\n💭 Checking the notes first\n🔧 ls .");
    const update = calls.find((c) => c.method === "chat.update")!;
    expect(update.params.text).toBe(`🔧 read notes-${token}.md`);
    const deleted = calls.find((c) => c.method === "chat.delete")!;
    expect(deleted.params.ts).toBe(update.params.ts);
    const answer = calls.find((c) => c.method === "chat.postMessage" && String(c.params.text).includes(`done ${token}`))!;
    expect(deleted.seq).toBeLessThan(answer.seq);
  });
});

describe("turn events for the WebUI timeline", () => {
  it("should carry each tool call's hint with tool_start", async () => {
    const token = uniqueToken("hint");
    await scriptLlm(token, [{ toolCalls: [{ name: "exec", arguments: { command: `echo ${"long ".repeat(20)}` } }] }, { content: "ok" }]);
    const events = [];
    for await (const event of await streamTurn(env, { sessionKey: `api:${token}`, workspaceId: "main", message: { channel: "api", chatId: token, senderId: token, text: `run ${token}` } })) events.push(event);
    const start = events.find((e) => e.type === "tool_start");
    expect(start).toMatchObject({ name: "exec", hint: expect.stringMatching(/^\$ echo long long .*…$/) });
    expect((start as { hint: string }).hint).toHaveLength(40);
  });
});
