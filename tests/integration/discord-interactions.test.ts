import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { NOT_ALLOWED_TEXT, PAIRING_SENT_TEXT } from "../../src/channels/discord/discord-channel.ts";
import { approveSender, atLeast, eventually, runSession } from "../support/channel-script.ts";
import { askCommand, discordCalls, discordFile, expireInteraction, messageCommand, okCalls, postDiscord, slashCommand, snowflake } from "../support/discord-script.ts";
import { llmRequests, scriptLlm, uniqueToken } from "../support/llm-script.ts";
import { PNG_1PX_BASE64 } from "../support/web-fixtures.ts";

const inboxCount = (key: string) =>
  runInDurableObject(env.SESSIONS.getByName(key), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM inbox").one().n as number);
const png = () => Uint8Array.from(atob(PNG_1PX_BASE64), (c) => c.charCodeAt(0));

describe("Discord interactions endpoint", () => {
  it("should answer a signed PING with PONG and refuse an unsigned one", async () => {
    const ping = { id: snowflake(), application_id: "1100000000000000001", type: 1, token: "t", version: 1 };
    const res = await postDiscord(ping);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
    expect((await postDiscord(ping, { signature: "00".repeat(64) })).status).toBe(401);
  });

  it("should refuse a bad signature, another key and a stale timestamp with 401 and store nothing", async () => {
    const body = askCommand("forged");
    expect((await postDiscord(body, { signature: "ab".repeat(64) })).status).toBe(401);
    expect((await postDiscord(body, { seed: new TextEncoder().encode("another-application-key-seed-000") })).status).toBe(401);
    expect((await postDiscord(body, { timestamp: Math.floor(Date.now() / 1000) - 360 })).status).toBe(401);
    expect(await inboxCount(`discord:${body.channel_id}`)).toBe(0);
    expect(await discordCalls({ token: body.token })).toEqual([]);
  });

  it("should defer /ask in a DM and edit the answer into the original response, once", async () => {
    const token = uniqueToken("dcask");
    await scriptLlm(token, [{ content: `**Sure**: \`code\` ${token}` }]);
    const body = askCommand(`hello ${token}`);
    const res = await postDiscord(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 5 });
    await runSession(`discord:${body.channel_id}`);
    const [edit] = await atLeast(1, () => okCalls({ token: body.token }));
    expect(edit).toMatchObject({ method: "PATCH", kind: "edit-original", body: { content: `**Sure**: \`code\` ${token}`, allowed_mentions: { parse: [] } } });
    expect(await okCalls({ token: body.token })).toHaveLength(1);
  });

  it("should answer /ask in a server channel for an allowed user and refuse others with an ephemeral message", async () => {
    const token = uniqueToken("dcguild");
    const guild = snowflake();
    const body = askCommand(`guild ${token}`, { guildId: guild });
    expect(await (await postDiscord(body)).json()).toEqual({ type: 5 });
    await runSession(`discord:${body.channel_id}`);
    const [edit] = await atLeast(1, () => okCalls({ token: body.token }));
    expect(edit.body.content).toBe(`echo: guild ${token}`);

    const stranger = askCommand(`stranger ${token}`, { guildId: guild, userId: snowflake() });
    expect(await (await postDiscord(stranger)).json()).toEqual({ type: 4, data: { content: NOT_ALLOWED_TEXT, flags: 64 } });
    expect(await inboxCount(`discord:${stranger.channel_id}`)).toBe(0);
  });

  it("should reply once when the same interaction arrives twice", async () => {
    const token = uniqueToken("dcdup");
    const body = askCommand(`dup ${token}`);
    await postDiscord(body);
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    await eventually(async () => (await okCalls({ token: body.token })).length > 0);
    expect((await okCalls({ token: body.token })).map((c) => c.body.content)).toEqual([`echo: dup ${token}`]);
    expect(await llmRequests(token)).toHaveLength(1);
  });

  it("should send the deferred response well inside Discord's 3 seconds while the model takes longer", async () => {
    const token = uniqueToken("dcslow");
    const modelMs = 2_500;
    await scriptLlm(token, [{ content: `finally ${token}`, delayMs: modelMs }]);
    const body = askCommand(`slow ${token}`);
    const started = Date.now();
    const res = await postDiscord(body);
    const ackMs = Date.now() - started;
    expect(await res.json()).toEqual({ type: 5 });
    expect(ackMs).toBeLessThan(modelMs);
    await runSession(`discord:${body.channel_id}`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(modelMs);
    expect((await okCalls({ token: body.token })).at(-1)?.body.content).toBe(`finally ${token}`);
  }, 30_000);

  it("should give a stranger in a DM a pairing code in the chat and nothing else", async () => {
    await env.DB.prepare("DELETE FROM pairing_requests WHERE channel = 'discord'").run();
    const token = uniqueToken("dcstranger");
    const body = askCommand(`hi ${token}`, { userId: snowflake() });
    expect(await (await postDiscord(body)).json()).toEqual({ type: 4, data: { content: PAIRING_SENT_TEXT, flags: 64 } });
    const [message] = await atLeast(1, () => okCalls({ channel: body.channel_id }));
    expect(message.body.content).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(await runSession(`discord:${body.channel_id}`)).toBe(false);
    expect(await llmRequests(token)).toHaveLength(0);
  });

  it("should give the model an image attached to /ask", async () => {
    const token = uniqueToken("dcfile");
    const url = await discordFile(`${token}.png`, png(), "image/png");
    const attachmentId = snowflake();
    const body = slashCommand("ask", [{ name: "prompt", type: 3, value: `what is this ${token}` }, { name: "file", type: 11, value: attachmentId }], {
      attachments: { [attachmentId]: { id: attachmentId, filename: `${token}.png`, size: png().length, url, proxy_url: url, content_type: "image/png", width: 1, height: 1 } },
    });
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    const parts = request.body.messages.at(-1).content as Array<{ type: string; image_url?: { url: string } }>;
    expect(parts.some((p) => p.type === "image_url" && p.image_url!.url === `data:image/png;base64,${PNG_1PX_BASE64}`)).toBe(true);
  });

  it("should ask about a message with the \"Ask nanobot\" message command, its attachment included", async () => {
    const token = uniqueToken("dcmsgcmd");
    const url = await discordFile(`${token}.png`, png(), "image/png");
    const body = messageCommand({ content: `explain this ${token}`, attachments: [{ id: snowflake(), filename: `${token}.png`, size: png().length, url, content_type: "image/png" }] });
    expect(await (await postDiscord(body)).json()).toEqual({ type: 5 });
    await runSession(`discord:${body.channel_id}`);
    const [request] = await atLeast(1, () => llmRequests(token));
    expect(JSON.stringify(request.body.messages.at(-1).content)).toContain(`explain this ${token}`);
    expect(JSON.stringify(request.body.messages.at(-1).content)).toContain(`data:image/png;base64,${PNG_1PX_BASE64}`);
    expect((await atLeast(1, () => okCalls({ token: body.token })))[0].body.content).toContain(`explain this ${token}`);
  });

  it("should put a reply longer than 2,000 characters into the original response and follow-ups", async () => {
    const token = uniqueToken("dclong");
    const long = `${"word ".repeat(700)}\n\n${"more ".repeat(300)}${token}`;
    await scriptLlm(token, [{ content: long }]);
    const body = askCommand(`long ${token}`);
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    const sent = await atLeast(3, () => okCalls({ token: body.token }));
    expect(sent.map((c) => c.kind)).toEqual(["edit-original", "follow-up", "follow-up"]);
    expect(sent.every((c) => c.body.content.length <= 2000)).toBe(true);
    expect(sent.map((c) => c.body.content).join(" ").replace(/\s+/g, " ")).toBe(long.replace(/\s+/g, " ").trim());
  });

  it("should post the answer in the channel with the bot token when the interaction token has expired", async () => {
    const token = uniqueToken("dcexpired");
    const body = askCommand(`late ${token}`);
    await postDiscord(body);
    await expireInteraction(body.token);
    await runSession(`discord:${body.channel_id}`);
    const [message] = await atLeast(1, () => okCalls({ channel: body.channel_id }));
    expect(message.body.content).toBe(`echo: late ${token}`);
    expect((await discordCalls({ token: body.token })).map((c) => c.status)).toEqual([401]);
  });

  it("should run /new and /status as nanobot's session commands", async () => {
    const channelId = snowflake();
    const status = slashCommand("status", [], { channelId });
    expect(await (await postDiscord(status)).json()).toEqual({ type: 5 });
    await runSession(`discord:${channelId}`);
    const [statusEdit] = await atLeast(1, () => okCalls({ token: status.token }));
    expect(statusEdit.body.content).toMatch(/model/i);
    const fresh = slashCommand("new", [], { channelId });
    await postDiscord(fresh);
    await runSession(`discord:${channelId}`);
    const [newEdit] = await atLeast(1, () => okCalls({ token: fresh.token }));
    expect(newEdit.body.content).toMatch(/new (session|conversation)/i);
  });
});

describe("Discord progress and files", () => {
  it("should show the running tool in the deferred response, then replace it with the answer", async () => {
    const token = uniqueToken("dcprog");
    await scriptLlm(token, [
      { content: "Let me look", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] },
      { delayMs: 1500, toolCalls: [{ name: "read_file", arguments: { path: `notes-${token}.md` } }] },
      { delayMs: 1500, content: `done ${token}` },
    ]);
    const body = askCommand(`check ${token}`);
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    const edits = await eventually(async () => {
      const all = await okCalls({ token: body.token });
      return all.at(-1)?.body.content === `done ${token}` && all;
    });
    expect(edits.every((c) => c.kind === "edit-original")).toBe(true);
    expect(edits.slice(0, -1).some((c) => String(c.body.content).startsWith("⏳") && String(c.body.content).includes("🔧"))).toBe(true);
  }, 20_000);

  it("should edit the text into the original response and send a generated image as a follow-up attachment", async () => {
    const token = uniqueToken("dcimage");
    await scriptLlm(token, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a fox ${token}` } }] }, { content: `Here is your fox ${token}.` }]);
    const body = askCommand(`draw a fox ${token}`);
    await postDiscord(body);
    await runSession(`discord:${body.channel_id}`);
    const calls = await atLeast(2, () => okCalls({ token: body.token }));
    expect(calls.map((c) => c.kind)).toEqual(["edit-original", "follow-up"]);
    expect(calls[0].body.content).toBe(`Here is your fox ${token}.`);
    expect(calls[1].files).toHaveLength(1);
    expect(calls[1].files[0].filename).toMatch(/\.png$/);
    expect(calls[1].files[0].contentType).toBe("image/png");
  });

  it("should send a stored file as an attachment through send (the message tool's path)", async () => {
    const { discordChannel } = await import("../../src/channels/discord/discord-channel.ts");
    const { testConfig } = await import("../support/test-config.ts");
    const { standIns } = await import("../support/llm-script.ts");
    const { resolveConfig } = await import("../../src/config/resolve-config.ts");
    const resolved = resolveConfig({ name: "nanobot.config.json", text: JSON.stringify(testConfig(standIns())) }, undefined, {});
    if (!resolved.ok) throw new Error(resolved.error.message);
    const key = `workspaces/main/media/${uniqueToken("dcsend")}.png`;
    await env.WORKSPACE.put(key, png());
    const channel = snowflake();
    await discordChannel.outbound.send({ env, config: resolved.config, target: { chatId: channel }, text: "here it is", media: [{ key, mimeType: "image/png", name: "chart.png" }] });
    const sent = await okCalls({ channel });
    expect(sent.map((c) => [c.body.content, c.files.map((f) => f.filename)])).toEqual([["here it is", []], ["", ["chart.png"]]]);
    expect(sent[1].files[0].base64).toBe(PNG_1PX_BASE64);
  });
});

describe("Discord allow lists", () => {
  it("should let an approved user in after pairing", async () => {
    const user = snowflake();
    await approveSender("discord", user);
    const token = uniqueToken("dcapproved");
    const body = askCommand(`approved ${token}`, { userId: user });
    expect(await (await postDiscord(body)).json()).toEqual({ type: 5 });
    await runSession(`discord:${body.channel_id}`);
    expect((await atLeast(1, () => okCalls({ token: body.token })))[0].body.content).toBe(`echo: approved ${token}`);
  });
});
