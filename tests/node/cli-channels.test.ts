import { afterEach, describe, expect, it } from "vitest";
import { deployedUrl, slackManifest } from "../../cli/slack-manifest.ts";
import { setUpChannels } from "../../cli/commands/deploy.ts";
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

describe("deploy's channel setup", () => {
  it("should register the Telegram webhook through the deployed Worker and print the Slack manifest", async () => {
    gateway = await startStandInGateway({ apiKey: "k", admin: { "POST /admin/channels/telegram/webhook": { body: { ok: true, url: "https://bot.acct.workers.dev/webhooks/telegram", bot: "@mybot" } } } });
    const lines: string[] = [];
    await setUpChannels("https://bot.acct.workers.dev", new GatewayClient({ url: gateway.url, apiKey: "k", keySource: "test" }), (l) => lines.push(l));
    expect(gateway.requests.at(-1)).toMatchObject({ method: "POST", path: "/admin/channels/telegram/webhook", body: { url: "https://bot.acct.workers.dev/webhooks/telegram" } });
    expect(lines[0]).toBe("Telegram webhook registered for @mybot: https://bot.acct.workers.dev/webhooks/telegram");
    const manifest = JSON.parse(lines.slice(lines.findIndex((l) => l.startsWith("{"))).join("\n"));
    expect(manifest.settings.event_subscriptions.request_url).toBe("https://bot.acct.workers.dev/webhooks/slack");
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_mention");
    expect(manifest.oauth_config.scopes.bot).toContain("chat:write");
  });

  it("should say why the webhook was not registered when Telegram is not enabled", async () => {
    gateway = await startStandInGateway({ apiKey: "k", admin: { "POST /admin/channels/telegram/webhook": { status: 400, body: { error: { message: "Telegram is not enabled: set channels.telegram.enabled" } } } } });
    const lines: string[] = [];
    await setUpChannels("https://x.workers.dev", new GatewayClient({ url: gateway.url, apiKey: "k", keySource: "test" }), (l) => lines.push(l));
    expect(lines[0]).toContain("Telegram webhook not registered");
    expect(lines[0]).toContain("Telegram is not enabled");
  });

  it("should find the Worker URL in wrangler's output", () => {
    expect(deployedUrl("Uploaded nanobot-edge (3.1 sec)\nDeployed nanobot-edge triggers (0.3 sec)\n  https://nanobot-edge.me.workers.dev\n")).toBe("https://nanobot-edge.me.workers.dev");
    expect(deployedUrl("no url here")).toBeNull();
    expect(slackManifest("https://a.workers.dev/")).toContain('"https://a.workers.dev/webhooks/slack"');
  });
});
