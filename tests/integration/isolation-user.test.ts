/**
 * agents.isolation "user": two people in one Telegram group, one Slack thread, and their DMs. What one of them
 * told the bot (history), had it write (files), what it remembered (MEMORY.md, history.jsonl) and its Dream
 * versions never reach the other. The Worker picks session and workspace, so these requests run it with that
 * config, as a deploy with it would.
 */
import { createExecutionContext, env, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { recordVersion } from "../../durable-objects/session/dream/versions.ts";
import { slackSignature } from "../../src/channels/slack/verify-signature.ts";
import { readHistory } from "../../src/memory/history-file.ts";
import worker from "../../src/index.ts";
import { approveSender, eventually, runSession, sentTexts, slackChannelId, slackEvent, slackTs, telegramUpdate, uniqueId } from "../support/channel-script.ts";
import { llmRequests, scriptLlm, standIns, uniqueToken } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";
import { makeDue, metaValue, stubFor } from "./memory-kit.ts";

const isolatedConfig = () => {
  const config = testConfig(standIns());
  return JSON.stringify({ ...config, agents: { ...config.agents, name: "main", isolation: "user" } });
};

async function call(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, NANOBOT_CONFIG: isolatedConfig() }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const telegram = (update: unknown) =>
  call(new Request("https://gw/webhooks/telegram", { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(update) }));

/** A group message that mentions the bot (groupPolicy "mention"). */
const inGroup = (group: number, from: number, text: string) =>
  telegram(telegramUpdate({ chatId: group, fromId: from, text: `@nano_test_bot ${text}`, entities: [{ type: "mention", offset: 0, length: 14 }] }));

async function slack(event: Record<string, unknown>): Promise<Response> {
  const raw = JSON.stringify(slackEvent(event));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = await slackSignature("slack-secret", timestamp, raw);
  return call(new Request("https://gw/webhooks/slack", { method: "POST", headers: { "content-type": "application/json", "x-slack-request-timestamp": timestamp, "x-slack-signature": signature }, body: raw }));
}

/** Everything the model was sent in requests containing `token`. */
const seenByModel = async (token: string) => JSON.stringify((await llmRequests(token)).map((r) => r.body.messages));

/** The tool results of the last request containing `token`. */
async function toolResults(token: string): Promise<string[]> {
  const last = (await llmRequests(token)).at(-1)!.body.messages as Array<{ role: string; content: unknown }>;
  return last.filter((m) => m.role === "tool").map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content)));
}

describe('agents.isolation "user"', () => {
  it("should give each member of a Telegram group their own session, files, consolidated memory and Dream versions", async () => {
    const group = -uniqueId();
    const [alice, bob] = [uniqueId(), uniqueId()];
    await approveSender("telegram", String(alice));
    await approveSender("telegram", String(bob));
    const aliceKey = `telegram:${group}:user:${alice}`;
    const bobKey = `telegram:${group}:user:${bob}`;
    const fact = uniqueToken("locker");
    const file = `notes-${uniqueToken("n")}.txt`;

    // Alice: a fact in the conversation and a file in her workspace.
    const aliceTurn = uniqueToken("alice");
    await scriptLlm(aliceTurn, [{ toolCalls: [{ name: "write_file", arguments: { path: file, content: `locker ${fact}` } }] }, { content: "Noted." }]);
    await inGroup(group, alice, `my locker code is ${fact} ${aliceTurn}`);
    await runSession(aliceKey);
    expect(await env.WORKSPACE.get(`workspaces/main@telegram-${alice}/${file}`)).not.toBeNull();
    // More of Alice's turns, so her session has something to archive when it goes idle.
    for (let i = 0; i < 4; i++) {
      await inGroup(group, alice, `small talk ${i} ${aliceTurn}-${i}`);
      await runSession(aliceKey);
    }

    // Bob, in the same group, asks for it and tries to read her file.
    const bobTurn = uniqueToken("bob");
    await scriptLlm(bobTurn, [{ toolCalls: [{ name: "read_file", arguments: { path: file } }] }, { content: "I don't know." }]);
    await inGroup(group, bob, `what is the locker code? ${bobTurn}`);
    await runSession(bobKey);
    await eventually(async () => (await llmRequests(bobTurn)).length >= 2);
    expect(await seenByModel(bobTurn)).not.toContain(fact);
    const [readResult] = await toolResults(bobTurn);
    expect(readResult).toMatch(/^Error: /);
    expect(readResult).not.toContain(fact);
    // Both were answered in the group itself.
    await eventually(async () => (await sentTexts(group)).some((t) => t.includes("I don't know.")));

    // Alice's session goes idle after Bob spoke: her transcript is archived into her history, never Bob's.
    await scriptLlm(`Archive of session ${aliceKey}`, [{ content: `- [permanent] The user's locker code is ${fact}.` }]);
    const aliceStub = stubFor(aliceKey);
    expect(await metaValue(aliceStub, "workspace_id")).toBe(`main@telegram-${alice}`);
    await makeDue(aliceStub, "idle-compact");
    await runDurableObjectAlarm(aliceStub);
    const aliceHistory = await readHistory(env.WORKSPACE, `main@telegram-${alice}`);
    expect(aliceHistory.some((e) => e.summary.includes(fact))).toBe(true);
    const bobHistory = await readHistory(env.WORKSPACE, `main@telegram-${bob}`);
    expect(JSON.stringify(bobHistory)).not.toContain(fact);

    // Alice's long-term memory and Dream versions: /dream-log in the group shows each member only their own.
    const remembered = `Locker code: ${fact}`;
    await recordVersion(env, { workspaceId: `main@telegram-${alice}`, kind: "dream", summary: "remembered the locker", before: { "memory/MEMORY.md": "# Long-term Memory\n" }, after: { "memory/MEMORY.md": `# Long-term Memory\n${remembered}\n` } });
    await env.WORKSPACE.put(`workspaces/main@telegram-${alice}/memory/MEMORY.md`, `# Long-term Memory\n${remembered}\n`);
    const before = (await sentTexts(group)).length;
    await inGroup(group, bob, "/dream-log");
    await inGroup(group, alice, "/dream-log");
    const logs = await eventually(async () => {
      const texts = (await sentTexts(group)).slice(before);
      return texts.length >= 2 && texts;
    });
    expect(logs.find((t) => t.includes(remembered))).toBeDefined();
    expect(logs.filter((t) => t.includes(fact))).toHaveLength(1);
    expect(logs.some((t) => t.includes("No memory versions yet"))).toBe(true);

    const probe = uniqueToken("probe");
    await inGroup(group, bob, `anything remembered? ${probe}`);
    await runSession(bobKey);
    const [bobRequest] = await eventually(() => llmRequests(probe).then((r) => r.length > 0 && r));
    expect(JSON.stringify(bobRequest.body)).not.toContain(fact);
  });

  it("should keep two people apart in one Slack thread and in their Telegram DMs", async () => {
    const channel = slackChannelId("C");
    await approveSender("slack", "U2");
    const fact = uniqueToken("slackfact");
    const ts = slackTs();
    await slack({ type: "app_mention", channel, channel_type: "channel", user: "U1", text: `<@UBOT> the password is ${fact}`, ts });
    await runSession(`slack:${channel}:${ts}:user:U1`);
    const question = uniqueToken("slackq");
    await slack({ type: "app_mention", channel, channel_type: "channel", user: "U2", text: `<@UBOT> what is the password? ${question}`, ts: slackTs(), thread_ts: ts });
    await runSession(`slack:${channel}:${ts}:user:U2`);
    await eventually(async () => (await llmRequests(question)).length > 0);
    expect(await seenByModel(question)).not.toContain(fact);

    // DMs: each person is their own session and workspace.
    const [alice, bob] = [uniqueId(), uniqueId()];
    await approveSender("telegram", String(alice));
    await approveSender("telegram", String(bob));
    const dmFact = uniqueToken("dmfact");
    const aliceTurn = uniqueToken("dm-alice");
    await scriptLlm(aliceTurn, [{ toolCalls: [{ name: "write_file", arguments: { path: "private.txt", content: dmFact } }] }, { content: "Saved." }]);
    await telegram(telegramUpdate({ chatId: alice, text: `keep ${dmFact} ${aliceTurn}` }));
    await runSession(`telegram:${alice}`);
    const bobTurn = uniqueToken("dm-bob");
    await scriptLlm(bobTurn, [{ toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }, { toolCalls: [{ name: "read_file", arguments: { path: "private.txt" } }] }, { content: "Nothing." }]);
    await telegram(telegramUpdate({ chatId: bob, text: `what do you keep? ${bobTurn}` }));
    await runSession(`telegram:${bob}`);
    await eventually(async () => (await llmRequests(bobTurn)).length >= 3);
    const [listing, read] = await toolResults(bobTurn);
    expect(listing).not.toContain("private.txt");
    expect(read).toMatch(/^Error: /);
    expect(await seenByModel(bobTurn)).not.toContain(dmFact);
    expect(await (await env.WORKSPACE.get(`workspaces/main@telegram-${alice}/private.txt`))?.text()).toBe(dmFact);
  });
});
