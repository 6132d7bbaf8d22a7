/**
 * The README's channel sections: each config snippet, pasted into nanobot.config.json as its section says
 * (a whole file, a `"channels"` entry, or one channel's entry inside `"channels"`), is accepted by the same
 * resolveConfig the Worker runs, with its secrets taken from .dev.vars by reference.
 */
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
  return block![1].trim();
}

/** The snippet as the whole config file it is meant to end up in. */
function asConfigFile(snippet: string): string {
  if (snippet.startsWith("{")) return snippet;
  if (snippet.startsWith('"channels"')) return `{ ${snippet} }`;
  return `{ "channels": { ${snippet} } }`;
}

/** Every `${VAR}` a snippet refers to, set as .dev.vars would set it. */
const varsOf = (text: string) => Object.fromEntries([...text.matchAll(/\$\{(\w+)\}/g)].map((m, i) => [m[1], `secret-${i}`]));

function resolveSection(heading: string) {
  const text = asConfigFile(sectionJson(heading));
  const vars = varsOf(text);
  return { result: resolveConfig({ name: "nanobot.config.json", text }, undefined, vars), vars };
}

const SECTIONS = [
  ["WeCom (企业微信)", "wecom"],
  ["Feishu / Lark", "feishu"],
  ["DingTalk", "dingtalk"],
  ["QQ", "qq"],
  ["Discord", "discord"],
  ["WhatsApp", "whatsapp"],
  ["Email", "email"],
] as const;

describe("README: the channel sections' config snippets", () => {
  for (const [heading, channel] of SECTIONS) {
    it(`should give a ${heading} snippet that the config accepts, enabling channels.${channel} with its secrets by reference`, () => {
      const { result, vars } = resolveSection(heading);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      const section = (result.config.channels as unknown as Record<string, Record<string, unknown>>)[channel];
      expect(section.enabled).toBe(true);
      for (const value of Object.values(vars)) expect(Object.values(section)).toContain(value);
    });
  }

  it("should keep the Feishu and DingTalk defaults the sections rely on", () => {
    const feishu = resolveSection("Feishu / Lark").result;
    const dingtalk = resolveSection("DingTalk").result;
    if (feishu.ok) expect(feishu.config.channels.feishu).toMatchObject({ domain: "feishu", groupPolicy: "mention" });
    if (dingtalk.ok) expect(dingtalk.config.channels.dingtalk).toMatchObject({ apiRoot: "https://api.dingtalk.com" });
    expect(feishu.ok && dingtalk.ok).toBe(true);
  });

  it("should name the routes and the event the consoles need", () => {
    for (const route of ["wecom", "feishu", "dingtalk", "qq", "discord", "whatsapp"]) expect(readme).toContain(`https://<worker>/webhooks/${route}`);
    expect(readme).toContain("`im.message.receive_v1`");
  });
});
