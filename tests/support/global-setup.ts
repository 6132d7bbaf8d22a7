import type { TestProject } from "vitest/node";
import { startStandInDingtalk } from "./stand-in-dingtalk.ts";
import { startDoh } from "./stand-in-doh.ts";
import { startStandInFeishu } from "./stand-in-feishu.ts";
import type { RunningServer } from "./stand-in-http.ts";
import { startStandInDiscord } from "./stand-in-discord.ts";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInMcp } from "./stand-in-mcp.ts";
import { startStandInRunner } from "./stand-in-runner.ts";
import { startSearch } from "./stand-in-search.ts";
import { startStandInQq } from "./stand-in-qq.ts";
import { startStandInSlack } from "./stand-in-slack.ts";
import { startStandInTelegram } from "./stand-in-telegram.ts";
import { startStandInWecom } from "./stand-in-wecom.ts";
import { startStandInWhatsapp } from "./stand-in-whatsapp.ts";
import { startCanary, startWebPages } from "./stand-in-web-pages.ts";
import type { StandIns } from "./stand-ins.d.ts";

/** Stand-ins whose URL is all a test needs (one line each; the key is the StandIns field). */
const URL_STAND_INS = {
  llm: startStandInLlm,
  webPages: startWebPages,
  canary: startCanary,
  search: startSearch,
  doh: startDoh,
  mcp: startStandInMcp,
  telegram: startStandInTelegram,
  slack: startStandInSlack,
  wecom: startStandInWecom,
  feishu: startStandInFeishu,
  dingtalk: startStandInDingtalk,
  qq: startStandInQq,
  // The Discord REST API lives under /api/v10; its test controls and CDN at the server root.
  whatsapp: startStandInWhatsapp,
  discord: () => startStandInDiscord().then((s) => ({ ...s, url: `${s.url}/api/v10` })),
} satisfies Record<string, () => Promise<RunningServer>>;

/** Starts every stand-in server on 127.0.0.1 and hands their URLs to the Worker tests. */
export default async function setup(project: TestProject) {
  const entries = Object.entries(URL_STAND_INS) as Array<[keyof typeof URL_STAND_INS, () => Promise<RunningServer>]>;
  const [runner, ...servers] = await Promise.all([startStandInRunner(), ...entries.map(([, start]) => start())]);
  const urls = Object.fromEntries(entries.map(([name], i) => [name, servers[i].url])) as Record<keyof typeof URL_STAND_INS, string>;
  const standIns: StandIns = { ...urls, runner: { url: runner.url, secret: runner.secret, control: runner.control, stdioMcp: runner.stdioMcp } };
  project.provide("standIns", standIns);
  return async () => {
    await Promise.all([runner, ...servers].map((s) => s.close()));
  };
}
