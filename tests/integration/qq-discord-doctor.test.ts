import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import type { DoctorReport, Finding } from "../../src/doctor/types.ts";
import { standIns } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

async function doctor(patch: (c: ReturnType<typeof testConfig>) => void): Promise<{ text: string; findings: (check: string) => Finding[] }> {
  const config = testConfig(standIns());
  patch(config);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("https://gw/admin/doctor", { headers: { authorization: "Bearer key-123" } }), { ...env, NANOBOT_CONFIG: JSON.stringify(config) }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  const report = JSON.parse(text) as DoctorReport;
  return { text, findings: (check) => report.findings.filter((f) => f.check === check) };
}

describe("doctor lines for QQ and Discord", () => {
  it("should confirm working QQ credentials and name the fix for a wrong secret, without printing it", async () => {
    const ok = await doctor(() => {});
    expect(ok.findings("qq")).toEqual([{ check: "qq", status: "ok", detail: "appId 102000001: credentials accepted (access token issued)", fix: "" }]);
    const bad = await doctor((c) => (c.channels.qq.secret = "wrong-qq-secret"));
    expect(bad.findings("qq")).toMatchObject([{ status: "fail", detail: "getAppAccessToken refused appId 102000001: invalid appid or secret (code 100016)" }]);
    expect(bad.findings("qq")[0].fix).toContain("QQ_BOT_SECRET");
    expect(bad.text).not.toContain("wrong-qq-secret");
  });

  it("should check Discord's public key, bot token and registered commands", async () => {
    const fresh = `1300000000000${Date.now() % 1_000_000}`;
    const unregistered = await doctor((c) => (c.channels.discord.applicationId = fresh));
    expect(unregistered.findings("discord")).toEqual([
      { check: "discord", status: "ok", detail: "bot token valid (@nanobot)", fix: "" },
      { check: "discord", status: "warn", detail: "the /ask command is not registered: users see no nanobot commands", fix: "run npx nanobot channels register discord" },
    ]);
    const broken = await doctor((c) => {
      c.channels.discord.publicKey = "not-hex";
      c.channels.discord.token = "wrong-discord-token";
    });
    expect(broken.findings("discord").map((f) => [f.status, f.detail])).toEqual([
      ["fail", "channels.discord.publicKey is not a 64-character hex key: every interaction is refused"],
      ["fail", "the bot token is wrong: Discord answered 401"],
    ]);
    expect(broken.text).not.toContain("wrong-discord-token");
  });

  it("should say nothing about channels that are off", async () => {
    const off = await doctor((c) => {
      c.channels.qq.enabled = false;
      c.channels.discord.enabled = false;
    });
    expect([...off.findings("qq"), ...off.findings("discord")]).toEqual([]);
  });
});
