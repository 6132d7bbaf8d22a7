import { describe, expect, it } from "vitest";
import { decideAccess } from "../../../src/channels/access-control.ts";
import { markdownToPlain } from "../../../src/channels/qq/markdown-to-plain.ts";
import { qqTokenUrl } from "../../../src/channels/qq/qq-api.ts";
import { resolveConfig } from "../../../src/config/resolve-config.ts";
import { env } from "cloudflare:test";

const load = (channels: unknown) => resolveConfig({ name: "nanobot.config.json", text: JSON.stringify({ channels }) }, undefined, {});

describe("QQ and Discord config", () => {
  it("should refuse channels.discord.gateway: true with a message that says what to set", () => {
    const result = load({ discord: { enabled: true, gateway: true } });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toContain("channels.discord.gateway");
      expect(result.error.message).toContain("Set it to false");
    }
    expect(load({ discord: { enabled: true, gateway: false } }).ok).toBe(true);
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
