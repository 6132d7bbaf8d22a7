/**
 * The session object gets its commands, timers, control requests and outbounds as values (src/wiring/session.ts),
 * so an object constructed the way the runtime constructs it (ctx and env only) has all of them, whatever else was
 * imported first. tests/node/architecture.test.ts checks that durable-objects/session-do.ts reaches that wiring
 * without the app's src/index.ts.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { SessionDO } from "../../../durable-objects/session-do.ts";
import type { SessionWiring } from "../../../durable-objects/session/session-wiring.ts";
import type { TurnRequest } from "../../../src/session-protocol/inbound.ts";
import { SUBAGENT_CHANNEL } from "../../../src/subagents/types.ts";
import { CHANNELS } from "../../../src/wiring/channels.ts";
import { telegramCalls, uniqueId } from "../../support/channel-script.ts";
import { uniqueToken } from "../../support/llm-script.ts";

const COMMANDS = ["/help", "/new", "/stop", "/status", "/model", "/history", "/pairing", "/goal", "/dream", "/dream-log", "/dream-restore", "/trigger"];

function request(sessionKey: string, channel: string, chatId: string, text: string): TurnRequest {
  return { sessionKey, workspaceId: "main", message: { channel, chatId, senderId: "tester", text } };
}

describe("the session object's wiring", () => {
  it("should list every slash command in /help of an object built from ctx and env alone", async () => {
    const key = `api:${uniqueToken("wiring-help")}`;
    const help = await runInDurableObject(env.SESSIONS.getByName(key), async (_instance, state) => {
      const fresh = new SessionDO(state, env as never);
      return (await fresh.submit(request(key, "api", key, "/help"))).reply?.content ?? "";
    });
    for (const name of COMMANDS) expect(help).toMatch(new RegExp(`^${name}\\b`, "m"));
  });

  it("should have the outbound of every channel, the WebUI and subagents", async () => {
    const key = `api:${uniqueToken("wiring-outbounds")}`;
    const names = await runInDurableObject(env.SESSIONS.getByName(key), (_instance, state) => {
      const fresh = new SessionDO(state, env as never) as unknown as { wiring: SessionWiring };
      return [...fresh.wiring.outbounds.keys()];
    });
    expect(CHANNELS.length).toBeGreaterThan(0);
    expect(names.sort()).toEqual([...CHANNELS.map((c) => c.name), "websocket", SUBAGENT_CHANNEL].sort());
  });

  it("should deliver a command's answer through the Telegram outbound from an object built from ctx and env alone", async () => {
    const chat = uniqueId();
    const key = `telegram:${chat}`;
    await runInDurableObject(env.SESSIONS.getByName(key), async (_instance, state) => {
      await new SessionDO(state, env as never).submit(request(key, "telegram", String(chat), "/help"));
    });
    const sent = await telegramCalls(chat, "sendMessage");
    expect(sent.map((c) => String(c.params.text))).toEqual([expect.stringContaining("/pairing")]);
  });
});
