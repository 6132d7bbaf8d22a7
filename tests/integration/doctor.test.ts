import { BUNDLED_MIGRATIONS } from "../../src/doctor/bundled-migrations.ts";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import type { DoctorReport, Finding } from "../../src/doctor/types.ts";
import { standIns } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

/** GET /admin/doctor of a Worker running `config` (as a deploy with that NANOBOT_CONFIG would), at `origin`. */
async function doctor(config: unknown, { origin = "https://gw", key = "key-123", vars = {} as Record<string, string> } = {}): Promise<{ status: number; text: string; report: DoctorReport }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${origin}/admin/doctor`, { headers: { authorization: `Bearer ${key}` } }),
    { ...env, ...vars, NANOBOT_CONFIG: JSON.stringify(config) },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, text, report: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null };
}

/** The test config with its own bot token (so getWebhookInfo answers for this test only) and no keyless preset. */
function config(telegramToken: string, patch: (c: ReturnType<typeof testConfig>) => void = () => {}) {
  const c = testConfig(standIns());
  c.modelPresets = { fast: c.modelPresets.fast } as typeof c.modelPresets;
  c.channels.telegram.token = telegramToken;
  patch(c);
  return c;
}

async function setWebhookInfo(token: string, info: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${standIns().telegram}/__webhook-info`, { method: "POST", body: JSON.stringify({ token, info }) });
  expect(res.status).toBe(204);
}

const byCheck = (report: DoctorReport, check: string): Finding[] => report.findings.filter((f) => f.check === check);
const one = (report: DoctorReport, check: string): Finding => {
  const found = byCheck(report, check);
  expect(found, `findings for ${check}: ${JSON.stringify(report.findings)}`).toHaveLength(1);
  return found[0];
};

describe("GET /admin/doctor", () => {
  it("should require the API key", async () => {
    const { status } = await doctor(config("900000:DOCTOR_AUTH"), { key: "wrong" });
    expect(status).toBe(401);
  });

  it("should report a healthy setup as ok, one finding per check, without any secret", async () => {
    const token = "900001:DOCTOR_OK";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram", pending_update_count: 0 });
    const { status, text, report } = await doctor(config(token));
    expect(status).toBe(200);
    expect(report.ok).toBe(true);
    for (const check of ["config", "secrets", "provider", "telegram", "slack", "wecom", "migrations", "mcp:test", "mcp:narrow"]) {
      expect(one(report, check).status, check).toBe("ok");
    }
    expect(one(report, "provider").detail).toBe("custom (model test-model): reachable, key accepted");
    expect(one(report, "mcp:test").detail).toMatch(/^reachable, \d+ tool\(s\)$/);
    expect(one(report, "migrations").detail).toBe(`all ${BUNDLED_MIGRATIONS.length} applied (latest ${BUNDLED_MIGRATIONS.at(-1)})`);
    // The runner's isolation depends on the host (bwrap where user namespaces work), so only its shape is fixed.
    expect(one(report, "sandbox").detail).toMatch(/^runner up, isolation (bwrap|user|none)/);
    for (const secret of ["sk-test", token, "tg-secret", "xoxb-1", "slack-secret", "wecom-secret", "wecom-token", "key-123", standIns().runner.secret]) expect(text).not.toContain(secret);
  });

  it("should fail an unreachable provider and say what to fix", async () => {
    const token = "900003:DOCTOR_NOPROV";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram" });
    // Port 9 (discard): nothing listens there on a test machine.
    const { report } = await doctor(config(token, (c) => (c.providers.custom.apiBase = "http://127.0.0.1:9/v1")));
    expect(report.ok).toBe(false);
    const provider = one(report, "provider");
    expect(provider.status).toBe("fail");
    expect(provider.detail).toContain("http://127.0.0.1:9 refused the connection");
    expect(provider.fix).toContain("providers.custom.apiBase");
  });

  it("should say the provider key is wrong without quoting any part of it", async () => {
    const token = "900004:DOCTOR_BADKEY";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram" });
    const { text, report } = await doctor(config(token, (c) => (c.providers.custom.apiKey = "sk-revoked-doctor-9f3k")));
    const provider = one(report, "provider");
    expect(provider).toMatchObject({ status: "fail", fix: expect.stringContaining("providers.custom.apiKey") });
    expect(provider.detail).toContain("the key is wrong");
    expect(text).not.toContain("9f3k");
  });

  it("should report a webhook secret mismatch when Telegram's deliveries get 401", async () => {
    const token = "900005:DOCTOR_401";
    await setWebhookInfo(token, {
      url: "https://gw/webhooks/telegram",
      pending_update_count: 3,
      last_error_date: 1_800_000_000,
      last_error_message: "Wrong response from the webhook: 401 Unauthorized",
    });
    const { report } = await doctor(config(token));
    expect(report.ok).toBe(false);
    const telegram = one(report, "telegram");
    expect(telegram.status).toBe("fail");
    expect(telegram.detail).toContain("webhook secret mismatch");
    expect(telegram.detail).toContain("3 pending update(s)");
    expect(telegram.fix).toContain("npx nanobot deploy");
  });

  it("should fail a webhook pointing elsewhere, and a wrong Slack bot token", async () => {
    const token = "900006:DOCTOR_URL";
    await setWebhookInfo(token, { url: "https://old.example/webhooks/telegram" });
    const { report } = await doctor(config(token, (c) => (c.channels.slack.botToken = "not-a-bot-token")));
    expect(one(report, "telegram")).toMatchObject({ status: "fail", detail: "the webhook points at https://old.example/webhooks/telegram, expected https://gw/webhooks/telegram" });
    expect(one(report, "slack")).toMatchObject({ status: "fail", detail: "the bot token is wrong: auth.test answered invalid_auth" });
  });

  it("should fail a wrong WeCom app secret and a malformed EncodingAESKey, saying where to copy them from", async () => {
    const token = "900016:DOCTOR_WECOM";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram" });
    const { report } = await doctor(config(token, (c) => Object.assign(c.channels.wecom, { secret: "wrong-secret", encodingAesKey: "too-short" })));
    const findings = byCheck(report, "wecom");
    expect(findings.map((f) => f.detail)).toEqual([
      "channels.wecom.encodingAesKey is not the 43-character EncodingAESKey: callbacks cannot be decrypted",
      "gettoken answered errcode 40001 (invalid credential)",
    ]);
    expect(findings.every((f) => f.status === "fail" && f.fix)).toBe(true);
  });

  it("should fail an unreachable sandbox runner, a missing one, and an unreachable MCP server", async () => {
    const token = "900009:DOCTOR_RUNNER";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram" });
    const dead = await doctor(
      config(token, (c) => {
        c.tools.exec.runnerUrl = "http://127.0.0.1:9";
        c.tools.mcpServers = { dead: { url: "http://127.0.0.1:9/mcp", toolTimeout: 2 } } as unknown as typeof c.tools.mcpServers;
      }),
    );
    expect(one(dead.report, "sandbox")).toMatchObject({ status: "fail", detail: expect.stringContaining("the sandbox runner is not reachable"), fix: expect.stringContaining("tools.exec.runnerUrl") });
    expect(one(dead.report, "mcp:dead")).toMatchObject({ status: "fail", detail: expect.stringMatching(/^not reachable: /), fix: expect.stringContaining("tools.mcpServers.dead.url") });
    const none = await doctor(config(token, (c) => Object.assign(c.tools.exec, { runnerUrl: "", runnerSecret: "" })));
    expect(one(none.report, "sandbox")).toMatchObject({ status: "fail", detail: "exec is enabled but no sandbox runner is configured", fix: expect.stringContaining("SANDBOX_RUNNER_SECRET") });
  });

  it("should name a missing secret and its config path, and still run the other checks", async () => {
    const token = "900007:DOCTOR_MISSING";
    await setWebhookInfo(token, { url: "https://gw/webhooks/telegram" });
    const broken = config(token, (c) => (c.channels.telegram.webhookSecretToken = "${DOCTOR_MISSING_SECRET}"));
    const { status, report } = await doctor(broken);
    expect(status).toBe(200);
    expect(report.ok).toBe(false);
    expect(one(report, "config")).toMatchObject({ status: "fail", detail: expect.stringContaining("environment variable 'DOCTOR_MISSING_SECRET' is not set") });
    expect(one(report, "secrets")).toMatchObject({
      status: "fail",
      detail: "DOCTOR_MISSING_SECRET is not set in the Worker's secrets (used by channels.telegram.webhookSecretToken)",
      fix: expect.stringContaining("npx wrangler secret put DOCTOR_MISSING_SECRET --env production"),
    });
    expect(one(report, "provider").status).toBe("ok");
    expect(byCheck(report, "telegram").map((f) => f.detail)).toContain("channels.telegram.webhookSecretToken is empty: every webhook delivery is refused");
  });

  it("should expect no webhook under npm start (the gateway polls) and say where local secrets go", async () => {
    const token = "900008:DOCTOR_LOCAL";
    const { report } = await doctor(config(token, (c) => (c.api.apiKey = "${DOCTOR_LOCAL_KEY}")), { origin: "http://127.0.0.1:8787", key: "local-key", vars: { DOCTOR_LOCAL_KEY: "local-key" } });
    expect(one(report, "telegram")).toMatchObject({ status: "ok", detail: "no webhook registered: the local gateway polls getUpdates; 0 pending update(s)" });
    await setWebhookInfo(token, { url: "https://somewhere.example/webhooks/telegram" });
    const again = await doctor(config(token, (c) => (c.channels.slack.signingSecret = "${DOCTOR_LOCAL_MISSING}")), { origin: "http://127.0.0.1:8787" });
    expect(one(again.report, "telegram")).toMatchObject({ status: "fail", fix: expect.stringContaining("deleteWebhook") });
    expect(one(again.report, "secrets").fix).toContain("add DOCTOR_LOCAL_MISSING=… to .dev.vars");
  });
});
