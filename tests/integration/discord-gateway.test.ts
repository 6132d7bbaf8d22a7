import { createExecutionContext, env, runDurableObjectAlarm, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index.ts";
import { gatewayIntents } from "../../src/channels/discord/gateway-message.ts";
import { afterAll, describe, expect, it } from "vitest";
import { ALLOWED_DISCORD_USER, okCalls, snowflake } from "../support/discord-script.ts";
import { eventually, runSession } from "../support/channel-script.ts";
import { llmRequests, standIns, uniqueToken } from "../support/llm-script.ts";
import { STAND_IN_DISCORD } from "../support/stand-in-discord.ts";

const root = () => standIns().discord.replace(/\/api\/v10$/, "");
const gateway = async () => (await (await fetch(`${root()}/__gateway`)).json()) as { received: Array<{ op: number; d: any }>; connections: number; resumes: number; connected: boolean };
const dispatch = (t: string, d: unknown) => fetch(`${root()}/__gateway/dispatch`, { method: "POST", body: JSON.stringify({ t, d }) });
const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);

function messageCreate(o: { channelId: string; content: string; guildId?: string; mentions?: boolean; userId?: string }) {
  return {
    id: snowflake(),
    type: 0,
    channel_id: o.channelId,
    ...(o.guildId ? { guild_id: o.guildId, member: { roles: [] } } : {}),
    author: { id: o.userId ?? ALLOWED_DISCORD_USER, username: "alice", global_name: "Alice", discriminator: "0" },
    content: o.content,
    mentions: o.mentions ? [{ id: STAND_IN_DISCORD.botId, username: STAND_IN_DISCORD.username, bot: true }] : [],
    attachments: [],
    embeds: [],
    timestamp: new Date().toISOString(),
    tts: false,
    mention_everyone: false,
  };
}

/** Waits until the Gateway stored the message, runs the turn and returns what was posted in the channel. */
async function answered(channelId: string): Promise<string[]> {
  await eventually(async () => (await inboxCount(`discord:${channelId}`)) > 0);
  await runSession(`discord:${channelId}`);
  return (await eventually(async () => {
    const posted = await okCalls({ channel: channelId });
    return posted.length > 0 && posted;
  })).map((c) => c.body.content);
}

afterAll(async () => {
  await env.DISCORD_GATEWAY!.getByName("main").close();
});

describe("Discord Gateway (channels.discord.gateway: true)", () => {
  it("should identify, answer DMs and mentions through the inbound path, and resume after the connection drops", async () => {
    const state = await env.DISCORD_GATEWAY!.getByName("main").ensure();
    expect(["connecting", "connected"]).toContain(state.state);
    await eventually(async () => (await gateway()).connected);
    const identify = (await gateway()).received.find((f) => f.op === 2)!;
    // GUILD_MESSAGES | DIRECT_MESSAGES: content of DMs and mentions needs no privileged intent.
    expect(identify.d).toMatchObject({ token: "<bot token>", intents: (1 << 9) | (1 << 12) });

    const dm = snowflake();
    const token = uniqueToken("gwdm");
    await dispatch("MESSAGE_CREATE", messageCreate({ channelId: dm, content: `hello ${token}` }));
    expect(await answered(dm)).toEqual([`echo: hello ${token}`]);

    const guild = snowflake();
    const quiet = snowflake();
    await dispatch("MESSAGE_CREATE", messageCreate({ channelId: quiet, guildId: guild, content: `no mention ${token}` }));
    const loud = snowflake();
    await dispatch("MESSAGE_CREATE", messageCreate({ channelId: loud, guildId: guild, content: `<@${STAND_IN_DISCORD.botId}> mentioned ${token}`, mentions: true }));
    expect(await answered(loud)).toEqual([`echo: mentioned ${token}`]);
    expect(await inboxCount(`discord:${quiet}`)).toBe(0);

    const before = await gateway();
    await fetch(`${root()}/__gateway/drop`, { method: "POST" });
    const missed = snowflake();
    const late = uniqueToken("gwresume");
    await dispatch("MESSAGE_CREATE", messageCreate({ channelId: missed, content: `while away ${late}` }));
    await eventually(async () => (await gateway()).resumes > before.resumes, 15_000);
    const resume = (await gateway()).received.filter((f) => f.op === 6).at(-1)!;
    expect(resume.d).toMatchObject({ token: "<bot token>", session_id: expect.stringMatching(/^session-/) });
    expect(typeof resume.d.seq).toBe("number");
    expect(await answered(missed)).toEqual([`echo: while away ${late}`]);
    expect(await llmRequests(late)).toHaveLength(1);
    expect((await gateway()).received.filter((f) => f.op === 2)).toHaveLength(1);
  }, 30_000);

  it("should answer a redelivered message once and give a stranger in a DM a pairing code", async () => {
    await env.DISCORD_GATEWAY!.getByName("main").ensure();
    await eventually(async () => (await gateway()).connected);
    const channel = snowflake();
    const token = uniqueToken("gwdup");
    const message = messageCreate({ channelId: channel, content: `twice ${token}` });
    await dispatch("MESSAGE_CREATE", message);
    await dispatch("MESSAGE_CREATE", message);
    expect(await answered(channel)).toEqual([`echo: twice ${token}`]);
    await runSession(`discord:${channel}`);
    expect(await llmRequests(token)).toHaveLength(1);

    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'discord'").run();
    const strangerDm = snowflake();
    await dispatch("MESSAGE_CREATE", messageCreate({ channelId: strangerDm, content: `let me in ${token}`, userId: snowflake() }));
    const [code] = await eventually(async () => {
      const posted = await okCalls({ channel: strangerDm });
      return posted.length > 0 && posted;
    });
    expect(code.body.content).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await inboxCount(`discord:${strangerDm}`)).toBe(0);
  }, 20_000);

  it("should reopen the connection from the heartbeat cron and from its own alarm", async () => {
    const stub = env.DISCORD_GATEWAY!.getByName("main");
    await stub.close();
    const before = (await gateway()).connections;
    const ctx = createExecutionContext();
    await worker.scheduled!({ cron: "*/30 * * * *", scheduledTime: Date.now(), noRetry() {} } as ScheduledController, env, ctx);
    await waitOnExecutionContext(ctx);
    await eventually(async () => (await gateway()).connections > before && (await gateway()).connected);

    await stub.close();
    const again = (await gateway()).connections;
    await runInDurableObject(stub, async (_i, state) => state.storage.setAlarm(Date.now() + 60_000));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await eventually(async () => (await gateway()).connections > again && (await gateway()).connected);
    expect((await stub.status()).state).toBe("connected");
  }, 20_000);

  it("should ask for the privileged Message Content intent only under groupPolicy \"open\"", () => {
    const d = { groupPolicy: "mention" } as Parameters<typeof gatewayIntents>[0];
    expect(gatewayIntents(d)).toBe((1 << 9) | (1 << 12));
    expect(gatewayIntents({ ...d, groupPolicy: "open" })).toBe((1 << 9) | (1 << 12) | (1 << 15));
  });
});
