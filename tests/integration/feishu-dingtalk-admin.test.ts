import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import type { DoctorReport } from "../../src/doctor/types.ts";
import { standIns } from "../support/llm-script.ts";
import { testConfig } from "../support/test-config.ts";

/** GET /admin/doctor of a Worker running `config`, reduced to the Feishu and DingTalk findings. */
async function doctor(patch: (c: ReturnType<typeof testConfig>) => void = () => {}): Promise<{ text: string; findings: DoctorReport["findings"] }> {
  const config = testConfig(standIns());
  patch(config);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("https://gw/admin/doctor", { headers: { authorization: "Bearer key-123" } }), { ...env, NANOBOT_CONFIG: JSON.stringify(config) }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { text, findings: (JSON.parse(text) as DoctorReport).findings.filter((f) => f.check === "feishu" || f.check === "dingtalk") };
}

const SECRETS = ["feishu-app-secret", "feishu-encrypt-key", "feishu-verification-token", "dingtalk-client-secret"];

describe("Feishu and DingTalk in doctor and channels status", () => {
  it("should report valid credentials for both, quoting no secret", async () => {
    const { text, findings } = await doctor();
    expect(findings).toEqual([
      { check: "feishu", status: "ok", detail: `app credentials valid (cli_standin at ${standIns().feishu})`, fix: "" },
      { check: "dingtalk", status: "ok", detail: "client credentials valid (dingstandin)", fix: "" },
    ]);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it("should fail wrong credentials and say where to copy the right ones", async () => {
    const { text, findings } = await doctor((c) => {
      c.channels.feishu.appSecret = "wrong-feishu-secret";
      c.channels.dingtalk.clientSecret = "wrong-dingtalk-secret";
    });
    expect(findings).toEqual([
      { check: "feishu", status: "fail", detail: "tenant_access_token refused: code 10014 app secret invalid", fix: expect.stringContaining("channels.feishu.appId/appSecret") },
      { check: "dingtalk", status: "fail", detail: expect.stringMatching(/^accessToken refused: invalidClientIdOrSecret/), fix: expect.stringContaining("channels.dingtalk.clientId/clientSecret") },
    ]);
    expect(text).not.toContain("wrong-feishu-secret");
    expect(text).not.toContain("wrong-dingtalk-secret");
  });

  it("should fail a Feishu config that cannot authenticate events, warn without an Encrypt Key, and fail empty DingTalk credentials", async () => {
    const none = await doctor((c) => {
      Object.assign(c.channels.feishu, { encryptKey: "", verificationToken: "" });
      c.channels.dingtalk.clientSecret = "";
    });
    expect(none.findings.map((f) => `${f.check} ${f.status}: ${f.detail}`)).toEqual([
      "feishu fail: channels.feishu has neither encryptKey nor verificationToken: every event is refused",
      "feishu ok: app credentials valid (cli_standin at " + standIns().feishu + ")",
      "dingtalk fail: channels.dingtalk.clientSecret is empty: every callback is refused",
    ]);
    const plain = await doctor((c) => (c.channels.feishu.encryptKey = ""));
    expect(plain.findings[0]).toMatchObject({ check: "feishu", status: "warn", detail: expect.stringContaining("encryptKey is empty") });
  });

  it("should list both channels in GET /admin/channels (what `npx nanobot channels status` prints) with the Feishu bot's name", async () => {
    const res = await SELF.fetch("https://gateway.test/admin/channels", { headers: { authorization: "Bearer key-123" } });
    const text = await res.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const { channels } = JSON.parse(text) as { channels: Array<Record<string, unknown>> };
    expect(channels.find((c) => c.name === "feishu")).toMatchObject({
      enabled: true,
      webhook: "/webhooks/feishu",
      allowFrom: ["ou_owner"],
      groupPolicy: "mention",
      bot: "nanobot stand-in",
      secretsSet: { appSecret: true, encryptKey: true, verificationToken: true },
    });
    expect(channels.find((c) => c.name === "dingtalk")).toMatchObject({ enabled: true, webhook: "/webhooks/dingtalk", allowFrom: ["staff-owner"], secretsSet: { clientSecret: true } });
  });
});
