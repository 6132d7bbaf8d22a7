import { describe, expect, it } from "vitest";
import { decideAccess } from "../../../src/channels/access-control.ts";
import { parseInteraction } from "../../../src/channels/discord/parse-interaction.ts";
import { parseQqEvent } from "../../../src/channels/qq/parse-event.ts";
import { markdownToPlain } from "../../../src/channels/qq/markdown-to-plain.ts";
import { qqTokenUrl } from "../../../src/channels/qq/qq-api.ts";
import { resolveConfig } from "../../../src/config/resolve-config.ts";
import { env } from "cloudflare:test";

const load = (channels: unknown) => resolveConfig({ name: "nanobot.config.json", text: JSON.stringify({ channels }) }, undefined, {});

describe("QQ and Discord config", () => {
  it("should accept channels.discord.gateway as a boolean only", () => {
    const on = load({ discord: { enabled: true, gateway: true } });
    expect(on.ok && on.config.channels.discord.gateway).toBe(true);
    const wrong = load({ discord: { gateway: "yes" } });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.message).toContain("channels.discord.gateway");
  });

  it("should default both channels off with the platforms' own API roots", () => {
    const result = load({});
    if (!result.ok) throw new Error(result.error.message);
    expect(result.config.channels.qq).toMatchObject({ enabled: false, apiRoot: "https://api.sgroup.qq.com", groupPolicy: "mention" });
    expect(result.config.channels.discord).toMatchObject({ enabled: false, apiRoot: "https://discord.com/api/v10", gateway: false });
    expect(qqTokenUrl(result.config.channels.qq)).toBe("https://bots.qq.com/app/getAppAccessToken");
    expect(qqTokenUrl({ ...result.config.channels.qq, apiRoot: "http://127.0.0.1:9/" })).toBe("http://127.0.0.1:9/app/getAppAccessToken");
  });
});

describe("markdownToPlain (QQ text messages)", () => {
  it("should drop markup QQ would show literally and keep the words, code and link targets", () => {
    expect(markdownToPlain("# Title\n**bold** and *it* and __u__ ~~x~~\n- item\n> quoted\n[docs](https://e.com) `a*b*c`\n```js\nconst x = **1**;\n```")).toBe(
      "Title\nbold and it and u x\n• item\n| quoted\ndocs (https://e.com) a*b*c\nconst x = **1**;",
    );
  });
});

describe("groupAllowFrom with a server id (Discord) or guild id (QQ)", () => {
  it("should let a channel in when its server is listed, and keep others out", async () => {
    const access = { allowFrom: [], groupPolicy: "allowlist" as const, groupAllowFrom: ["G-SERVER"] };
    const message = { channel: "discord", chatId: "C1", senderId: "U1", text: "hi", isGroup: true, mentionsBot: true };
    expect(await decideAccess(env.DB, access, { ...message, groupIds: ["G-SERVER"] })).toEqual({ kind: "allow" });
    expect((await decideAccess(env.DB, access, { ...message, groupIds: ["G-OTHER"] })).kind).toBe("ignore");
  });
});

describe("ids groupAllowFrom can name", () => {
  it("should give QQ group and guild messages their group, channel and guild ids", () => {
    const group = parseQqEvent({ op: 0, t: "GROUP_AT_MESSAGE_CREATE", d: { id: "m1", author: { member_openid: "M1" }, content: " hi", group_openid: "G1" } });
    expect(group.ok && [group.message.chatId, group.message.groupIds]).toEqual(["group:G1", ["G1"]]);
    const guild = parseQqEvent({ op: 0, t: "AT_MESSAGE_CREATE", d: { id: "m2", author: { id: "7" }, content: "<@!9> hi", channel_id: "C1", guild_id: "GU1" } });
    expect(guild.ok && [guild.message.chatId, guild.message.groupIds, guild.message.text]).toEqual(["channel:C1", ["C1", "GU1"], "hi"]);
  });

  it("should give a Discord server interaction its server id and a DM none", () => {
    const base = { id: "1", application_id: "2", type: 2, token: "t", channel_id: "C9", data: { id: "3", name: "ask", type: 1, options: [{ name: "prompt", type: 3, value: "hi" }] } };
    const server = parseInteraction({ ...base, guild_id: "S1", member: { user: { id: "U1" } } });
    expect(server.ok && [server.message.isGroup, server.message.groupIds]).toEqual([true, ["S1"]]);
    const dm = parseInteraction({ ...base, user: { id: "U1" } });
    expect(dm.ok && [dm.message.isGroup, dm.message.groupIds]).toEqual([false, undefined]);
  });
});
