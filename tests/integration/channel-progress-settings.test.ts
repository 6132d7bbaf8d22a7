/**
 * The progress and button settings, each with a config of its own, on the channel adapters' real outbound code
 * against the stand-in Bot API / Slack API. (The turn-level behaviour with the defaults is in
 * channel-progress.test.ts and channel-buttons-media.test.ts; these settings only change what the adapter does.)
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { telegramChannel } from "../../src/channels/telegram/telegram-channel.ts";
import { loadConfigFrom } from "../../src/config/load-config.ts";
import type { Config } from "../../src/config/schema.ts";
import type { ChatResponse } from "../../src/providers/types.ts";
import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import { atLeast, eventually, telegramCalls, telegramFault, uniqueId } from "../support/channel-script.ts";
import { standIns } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function configWith(patch: { channels?: Record<string, unknown>; telegram?: Record<string, unknown> }): Config {
  const base = testConfig(standIns());
  const result = loadConfigFrom({ ...base, channels: { ...base.channels, ...patch.channels, telegram: { ...base.channels.telegram, ...patch.telegram } } }, undefined, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

function request(chat: number): TurnRequest {
  return { sessionKey: `telegram:${chat}`, workspaceId: "main", message: { channel: "telegram", chatId: String(chat), senderId: String(chat), text: "hi", messageId: "77" } };
}

const toolRound: ChatResponse = {
  content: "Looking it up",
  toolCalls: [{ id: "c1", name: "read_file", arguments: '{"path":"notes.md"}' }],
  finishReason: "tool_calls",
  usage: { promptTokens: 1, completionTokens: 1 },
  model: "m",
};
const reply = { content: "the answer", model: "m", usage: { promptTokens: 1, completionTokens: 1 }, stopReason: "completed" };

/** One turn's worth of adapter calls: hooks as the runner calls them, a step that takes 1.3 s, then delivery. */
async function turn(config: Config, chat: number): Promise<void> {
  const hooks = telegramChannel.outbound.turnHooks!({ env, config, request: request(chat), inboxId: 1 })!;
  hooks.beforeIteration?.(1);
  hooks.afterModelCall?.(toolRound);
  await sleep(1300);
  await telegramChannel.outbound.deliver({ env, config, request: request(chat), reply, inboxId: 1 });
}

describe("channels.sendProgress / sendToolHints / showReasoning", () => {
  it("should default to nanobot's values: all on, unifiedSession off, 👀/✅ and inline keyboards on Telegram", () => {
    const result = loadConfigFrom({}, undefined, {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.channels).toMatchObject({ sendProgress: true, sendToolHints: true, showReasoning: true });
    expect(result.config.channels.telegram).toMatchObject({ reactEmoji: "👀", doneEmoji: "✅", inlineKeyboards: true });
    expect(result.config.agents.defaults).toMatchObject({ unifiedSession: false, toolHintMaxLength: 40 });
    const typo = loadConfigFrom({ channels: { sendToolHint: false } }, undefined, {});
    expect(!typo.ok && typo.error.message).toContain("sendToolHints");
  });

  it("should send no status message when all three are off", async () => {
    const chat = uniqueId();
    await turn(configWith({ channels: { sendProgress: false, sendToolHints: false, showReasoning: false } }), chat);
    await atLeast(1, () => telegramCalls(chat, "sendMessage"));
    expect((await telegramCalls(chat, "sendMessage")).map((c) => c.params.text)).toEqual(["the answer"]);
    expect(await telegramCalls(chat, "deleteMessage")).toEqual([]);
  });

  it("should leave the tool out of the status line when sendToolHints is off, and the interim text when sendProgress is off", async () => {
    // Without streaming: a streamed reply preview already shows the interim text, so the status line never repeats it.
    const noHints = uniqueId();
    await turn(configWith({ channels: { sendToolHints: false }, telegram: { streaming: false } }), noHints);
    expect((await telegramCalls(noHints, "sendMessage")).map((c) => c.params.text)).toEqual(["Looking it up", "the answer"]);
    const noProgress = uniqueId();
    await turn(configWith({ channels: { sendProgress: false }, telegram: { streaming: false } }), noProgress);
    expect((await telegramCalls(noProgress, "sendMessage")).map((c) => c.params.text)).toEqual(["🔧 read notes.md", "the answer"]);
    const streamed = uniqueId();
    await turn(configWith({}), streamed);
    expect((await telegramCalls(streamed, "sendMessage")).map((c) => c.params.text)).toEqual(["🔧 read notes.md", "the answer"]);
  });
});

describe("Telegram reactions and keyboards by config", () => {
  it("should use the configured emoji, and clear the receipt mark when Telegram refuses the done emoji", async () => {
    const chat = uniqueId();
    const config = configWith({ telegram: { reactEmoji: "🤔", doneEmoji: "✔️" } });
    telegramChannel.outbound.turnHooks!({ env, config, request: request(chat), inboxId: 1 });
    await atLeast(1, () => telegramCalls(chat, "setMessageReaction"));
    await telegramFault({ method: "setMessageReaction", chat: String(chat), count: 1, status: 400, description: "Bad Request: REACTION_INVALID" });
    await telegramChannel.outbound.deliver({ env, config, request: request(chat), reply, inboxId: 1 });
    const reactions = await telegramCalls(chat, "setMessageReaction");
    expect(reactions.map((c) => [c.status, c.params.reaction])).toEqual([
      [200, [{ type: "emoji", emoji: "🤔" }]],
      [400, [{ type: "emoji", emoji: "✔️" }]],
      [200, []],
    ]);
  });

  it("should list button labels as text when inlineKeyboards is off", async () => {
    const chat = uniqueId();
    await telegramChannel.outbound.send({ env, config: configWith({ telegram: { inlineKeyboards: false } }), target: { chatId: String(chat) }, text: "Pick one", buttons: [["A", "B"], ["C"]] });
    const [sent] = await eventually(() => telegramCalls(chat, "sendMessage").then((c) => c.length > 0 && c));
    expect(sent.params.text).toBe("Pick one\n\n[A] [B]\n[C]");
    expect(sent.params.reply_markup).toBeUndefined();
  });
});
