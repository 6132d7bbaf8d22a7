import { describe, expect, it } from "vitest";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { approveSender, atLeast, postSlack, postTelegram, runSession, sentTexts, slackCalls, slackChannelId, slackEvent, slackTs, telegramUpdate, uniqueId } from "../support/channel-script.ts";

const toolResults = async (token: string) =>
  (await llmRequests(token)).flatMap((r) => (r.body.messages as Array<{ role: string; content: string }>).filter((m) => m.role === "tool").map((m) => m.content));

describe("the message tool", () => {
  it("should send to the current chat before the final reply", async () => {
    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("msgtool");
    await scriptLlm(token, [{ toolCalls: [{ name: "message", arguments: { content: `working on it ${token}` } }] }, { content: `all done ${token}` }]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `task ${token}` }));
    await runSession(`telegram:${chat}`);
    expect(await atLeast(2, () => sentTexts(chat))).toEqual([`working on it ${token}`, `all done ${token}`]);
    expect((await toolResults(token)).at(-1)).toBe(`Message sent to telegram:${chat}`);
  });

  it("should reach the chat last active on another channel, and refuse chats it never talked in", async () => {
    const slackDm = slackChannelId("D");
    const warmup = uniqueToken("warm");
    await postSlack(slackEvent({ type: "message", channel: slackDm, channel_type: "im", user: "U1", text: `hello ${warmup}`, ts: slackTs() }));
    await runSession(`slack:${slackDm}`);
    await atLeast(1, () => slackCalls(slackDm, "chat.postMessage"));

    const chat = uniqueId();
    await approveSender("telegram", String(chat));
    const token = uniqueToken("crossch");
    await scriptLlm(token, [
      { toolCalls: [{ name: "message", arguments: { content: `over on slack ${token}`, channel: "slack" } }] },
      { toolCalls: [{ name: "message", arguments: { content: "intruding", channel: "telegram", chat_id: "999999" } }] },
      { content: "ok" },
    ]);
    await postTelegram(telegramUpdate({ chatId: chat, text: `cross ${token}` }));
    await runSession(`telegram:${chat}`);
    const results = await atLeast(2, () => toolResults(token));
    // The last active Slack chat of this workspace: ours, unless a parallel test file spoke on Slack since.
    const target = /^Message sent to slack:(\w+)$/.exec(results[0])?.[1];
    expect(target).toBeDefined();
    const posted = await atLeast(1, async () => (await slackCalls(target!, "chat.postMessage")).filter((c) => c.params.text === `over on slack ${token}`));
    expect(posted).toHaveLength(1);
    expect(results.some((r) => r.startsWith("Error: ") && r.includes("unknown chat telegram:999999"))).toBe(true);
  });
});
