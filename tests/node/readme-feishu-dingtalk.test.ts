/** The Feishu and DingTalk README sections: their config snippets are valid as printed, secrets by reference. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { repoRoot } from "../support/run-cli.ts";

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");

function sectionJson(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const body = readme.slice(start + 1, readme.indexOf("\n## ", start + 1));
  const block = /```json\n([\s\S]*?)```/.exec(body);
  expect(block, `${heading} has a JSON block`).not.toBeNull();
  return block![1];
}

const vars = { FEISHU_APP_SECRET: "s1", FEISHU_ENCRYPT_KEY: "s2", FEISHU_VERIFICATION_TOKEN: "s3", DINGTALK_CLIENT_SECRET: "s4" };

describe("README: Feishu / Lark and DingTalk", () => {
  it("should give a Feishu section that the config accepts, with its secrets from .dev.vars", () => {
    const result = resolveConfig({ name: "nanobot.config.json", text: sectionJson("Feishu / Lark") }, undefined, vars);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.config.channels.feishu).toMatchObject({ enabled: true, appSecret: "s1", encryptKey: "s2", verificationToken: "s3", domain: "feishu", groupPolicy: "mention" });
  });

  it("should give a DingTalk section that the config accepts, with its secret from .dev.vars", () => {
    const result = resolveConfig({ name: "nanobot.config.json", text: sectionJson("DingTalk") }, undefined, vars);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.config.channels.dingtalk).toMatchObject({ enabled: true, clientSecret: "s4", apiRoot: "https://api.dingtalk.com" });
  });

  it("should name the routes and the event the consoles need", () => {
    expect(readme).toContain("`https://<worker>/webhooks/feishu`");
    expect(readme).toContain("`im.message.receive_v1`");
    expect(readme).toContain("`https://<worker>/webhooks/dingtalk`");
  });
});
