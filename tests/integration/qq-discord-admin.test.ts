import { env, SELF } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { discordCommands } from "../../src/channels/discord/commands.ts";
import { standIns } from "../support/llm-script.ts";

const admin = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`https://gateway.test/admin${path}`, { ...init, headers: { authorization: "Bearer key-123", "content-type": "application/json", ...(init.headers ?? {}) } });

// Registering also opens the Gateway (the test config turns it on); leave no connection behind.
afterAll(async () => {
  await env.DISCORD_GATEWAY!.getByName("main").close();
});

describe("QQ and Discord in the admin endpoints", () => {
  it("should show both channels with their bot names and no secrets (npx nanobot channels status)", async () => {
    const text = await (await admin("/channels")).text();
    expect(text).not.toContain("qq-stand-in-secret-0123");
    expect(text).not.toContain("discord-bot-token");
    const { channels } = JSON.parse(text) as { channels: Array<Record<string, any>> };
    expect(channels.find((c) => c.name === "qq")).toMatchObject({ enabled: true, webhook: "/webhooks/qq", bot: "nanobot-qq", allowFrom: ["QQUSER1"], secretsSet: { secret: true } });
    expect(channels.find((c) => c.name === "discord")).toMatchObject({ enabled: true, webhook: "/webhooks/discord", bot: "nanobot", secretsSet: { token: true }, gateway: { state: expect.any(String) } });
  });

  it("should register /ask, /new, /stop, /status and \"Ask nanobot\" with one bulk overwrite, the same again on a second run, and open the Gateway", async () => {
    const first = await admin("/channels/discord/commands", { method: "POST", body: "{}" });
    expect(first.status).toBe(200);
    const body = (await first.json()) as { ok: boolean; commands: unknown[]; gateway: { state: string } };
    expect(body).toMatchObject({ ok: true, commands: [{ name: "ask", type: 1 }, { name: "new", type: 1 }, { name: "stop", type: 1 }, { name: "status", type: 1 }, { name: "Ask nanobot", type: 3 }] });
    expect(["connecting", "connected"]).toContain(body.gateway.state);
    await admin("/channels/discord/commands", { method: "POST", body: "{}" });
    const root = standIns().discord.replace(/\/api\/v10$/, "");
    const puts = ((await (await fetch(`${root}/__calls`)).json()) as Array<{ kind: string; body: { commands: unknown[] } }>).filter((c) => c.kind === "commands");
    expect(puts.at(-1)!.body.commands).toEqual(discordCommands());
    expect(((await (await fetch(`${standIns().discord}/applications/1100000000000000001/commands`, { headers: { authorization: "Bot discord-bot-token" } })).json()) as unknown[]).length).toBe(5);
  });
});
