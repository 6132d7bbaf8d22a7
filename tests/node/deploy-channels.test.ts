import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { setUpChannels } from "../../cli/deploy/channels.ts";
import { slackManifest } from "../../cli/slack-manifest.ts";
import { type StandInGateway, startStandInGateway } from "../support/stand-in-gateway.ts";

let gateway: StandInGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("deploy's channel setup", () => {
  it("should register the Telegram webhook through the deployed Worker with the production key and print the Slack manifest", async () => {
    gateway = await startStandInGateway({ apiKey: "prod-key", admin: { "POST /admin/channels/telegram/webhook": { body: { ok: true, url: "https://bot.acct.workers.dev/webhooks/telegram", bot: "@mybot" } } } });
    const lines = await setUpChannels({ workerUrl: gateway.url, apiKey: "prod-key", telegram: true, slack: true });
    expect(gateway.requests.at(-1)).toMatchObject({ method: "POST", path: "/admin/channels/telegram/webhook", body: { url: `${gateway.url}/webhooks/telegram` } });
    expect(lines).toContain("Telegram webhook registered for @mybot: https://bot.acct.workers.dev/webhooks/telegram");
    const start = lines.findIndex((l) => l.startsWith("{"));
    const manifest = JSON.parse(lines[start]);
    expect(manifest.settings.event_subscriptions.request_url).toBe(`${gateway.url}/webhooks/slack`);
    expect(manifest.oauth_config.scopes.bot).toContain("chat:write");
    // Buttons and file uploads of the message tool.
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: `${gateway.url}/webhooks/slack` });
    expect(manifest.oauth_config.scopes.bot).toContain("files:write");
    expect(lines.join("\n")).toContain('-H "Authorization: Bearer $NANOBOT_API_KEY"');
    expect(lines.join("\n")).not.toContain("prod-key");
  });

  it("should print a try-it command that works as printed, with the key read from .dev.vars", async () => {
    gateway = await startStandInGateway({ apiKey: "prod-key", reply: "hi there" });
    const lines = await setUpChannels({ workerUrl: gateway.url, apiKey: "prod-key", telegram: false, slack: false });
    const commands = lines.slice(lines.indexOf("Try it:") + 1).map((l) => l.trim());
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-tryit-"));
    try {
      writeFileSync(path.join(dir, ".dev.vars"), "OTHER=x\nNANOBOT_API_KEY=prod-key\n");
      // Asynchronously: the stand-in answers from this same process.
      const { stdout } = await promisify(execFile)("bash", ["-c", commands.join("\n")], { cwd: dir, env: { PATH: process.env.PATH } });
      expect(stdout).toContain("hi there");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(gateway.requests.at(-1)).toMatchObject({ method: "POST", path: "/v1/chat/completions", authorization: "Bearer prod-key" });
  });

  it("should say why the webhook was not registered when the Worker refuses", async () => {
    gateway = await startStandInGateway({ apiKey: "k", admin: { "POST /admin/channels/telegram/webhook": { status: 400, body: { error: { message: "Telegram is not enabled: set channels.telegram.enabled" } } } } });
    const lines = await setUpChannels({ workerUrl: gateway.url, apiKey: "k", telegram: true, slack: false });
    expect(lines[1]).toContain("Telegram webhook not registered");
    expect(lines[1]).toContain("Telegram is not enabled");
  });

  it("should print the manifest with how to add Slack when Slack is not enabled yet (the README's Slack steps)", async () => {
    const lines = await setUpChannels({ workerUrl: "https://a.workers.dev", apiKey: "k", telegram: false, slack: false });
    const heading = lines.findIndex((l) => l.startsWith("To add Slack"));
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading]).toContain("npx nanobot onboard --slack-bot-token");
    expect(JSON.parse(lines[heading + 1]).settings.event_subscriptions.request_url).toBe("https://a.workers.dev/webhooks/slack");
  });

  it("should point the Slack manifest at the Worker's /webhooks/slack", () => {
    expect(slackManifest("https://a.workers.dev/")).toContain('"https://a.workers.dev/webhooks/slack"');
  });
});
