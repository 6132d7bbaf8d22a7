import { afterEach, describe, expect, it } from "vitest";
import { GatewayClient } from "../../cli/gateway-client.ts";
import { cleanEnv, runCli } from "../support/run-cli.ts";
import { startStandInGateway, type StandInGateway } from "../support/stand-in-gateway.ts";

let gateway: StandInGateway | null = null;
afterEach(async () => {
  await gateway?.close();
  gateway = null;
});

const env = () => cleanEnv({ NANOBOT_URL: gateway!.url, NANOBOT_API_KEY: "k" });

describe("npx nanobot channels / pairing", () => {
  it("should show each channel's configuration and Telegram's webhook state", async () => {
    gateway = await startStandInGateway({
      apiKey: "k",
      admin: {
        "GET /admin/channels": {
          body: {
            channels: [
              { name: "telegram", enabled: true, bot: "@mybot", allowFrom: ["42"], groupPolicy: "mention", secretsSet: { token: true, webhookSecretToken: true }, webhook: { url: "https://w.example/webhooks/telegram", pendingUpdates: 3, lastErrorDate: "2026-01-01T00:00:00.000Z", lastErrorMessage: "Wrong response from the webhook: 500" } },
              { name: "slack", enabled: false, allowFrom: [], groupPolicy: null, secretsSet: { botToken: false }, webhook: "/webhooks/slack" },
            ],
          },
        },
      },
    });
    const result = await runCli(["channels", "status"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("telegram: enabled (@mybot)");
    expect(result.stdout).toContain("pending:     3 update(s)");
    expect(result.stdout).toContain("last error:  Wrong response from the webhook: 500");
    expect(result.stdout).toContain("slack: disabled");
    expect(gateway.requests.at(-1)?.authorization).toBe("Bearer k");
  });

  it("should list pending requests and approve or deny by code", async () => {
    const request = { code: "ABCD-EFGH", channel: "telegram", senderId: "7", senderName: "Bob", expiresAt: Date.now() + 300_000 };
    gateway = await startStandInGateway({
      apiKey: "k",
      admin: {
        "GET /admin/pairing": { body: { pending: [request], approved: [{ channel: "slack", senderId: "U9", senderName: null }] } },
        "POST /admin/pairing/approve": { body: { ok: true, request } },
        "POST /admin/pairing/deny": { status: 404, body: { error: { message: "No pending pairing request with code WXYZ-0000" } } },
      },
    });
    const list = await runCli(["pairing", "list"], { env: env() });
    expect(list.stdout).toMatch(/ABCD-EFGH {2}telegram user 7 \(Bob\) {2}expires in \d+s/);
    expect(list.stdout).toContain("Approved: slack:U9");
    const approve = await runCli(["pairing", "approve", "abcd-efgh"], { env: env() });
    expect(approve.stdout).toContain("Approved telegram user 7 (Bob).");
    expect(gateway.requests.at(-1)?.body).toEqual({ code: "abcd-efgh" });
    const deny = await runCli(["pairing", "deny", "WXYZ-0000"], { env: env() });
    expect(deny.code).toBe(1);
    expect(deny.stderr).toContain("No pending pairing request with code WXYZ-0000");
    expect((await runCli(["pairing", "approve"], { env: env() })).code).toBe(2);
  });
});

describe("npx nanobot channels register discord", () => {
  it("should ask the gateway to register the commands and list them", async () => {
    gateway = await startStandInGateway({
      apiKey: "k",
      admin: {
        "POST /admin/channels/discord/commands": { body: { ok: true, commands: [{ name: "ask", type: 1 }, { name: "new", type: 1 }, { name: "stop", type: 1 }, { name: "status", type: 1 }, { name: "Ask nanobot", type: 3 }], gateway: { state: "connecting", resumed: 0 } } },
        "GET /admin/channels": { body: { channels: [{ name: "discord", enabled: true, bot: "nanobot", allowFrom: ["1"], groupPolicy: "mention", secretsSet: { token: true }, webhook: "/webhooks/discord", gateway: { state: "connected", resumed: 2 } }] } },
      },
    });
    const result = await runCli(["channels", "register", "discord"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Registered 5 Discord commands: /ask, /new, /stop, /status, "Ask nanobot".\nGateway: connecting.\n');
    const status = await runCli(["channels", "status"], { env: env() });
    expect(status.stdout).toContain("discord: enabled (nanobot)");
    expect(status.stdout).toContain("gateway:     connected (resumed 2×)");
    expect(gateway.requests.find((r) => r.path === "/admin/channels/discord/commands")).toMatchObject({ method: "POST", authorization: "Bearer k" });
  });

  it("should say what to fix when the gateway refuses, and reject other channels", async () => {
    gateway = await startStandInGateway({ apiKey: "k", admin: { "POST /admin/channels/discord/commands": { status: 400, body: { error: { message: "Discord is not enabled: set channels.discord.enabled" } } } } });
    const refused = await runCli(["channels", "register", "discord"], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Discord is not enabled: set channels.discord.enabled");
    const other = await runCli(["channels", "register", "slack"], { env: env() });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("Only Discord has commands to register");
  });
});
