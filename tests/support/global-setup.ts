import type { TestProject } from "vitest/node";
import { startDoh } from "./stand-in-doh.ts";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInMcp } from "./stand-in-mcp.ts";
import { startStandInRunner } from "./stand-in-runner.ts";
import { startSearch } from "./stand-in-search.ts";
import { startStandInSlack } from "./stand-in-slack.ts";
import { startStandInTelegram } from "./stand-in-telegram.ts";
import { startStandInWhatsapp } from "./stand-in-whatsapp.ts";
import { startCanary, startWebPages } from "./stand-in-web-pages.ts";
import type { StandIns } from "./stand-ins.d.ts";

/** Starts every stand-in server on 127.0.0.1 (one line each) and hands their URLs to the Worker tests. */
export default async function setup(project: TestProject) {
  const [llm, webPages, canary, search, doh, runner, mcp, telegram, slack, whatsapp] = await Promise.all([
    startStandInLlm(),
    startWebPages(),
    startCanary(),
    startSearch(),
    startDoh(),
    startStandInRunner(),
    startStandInMcp(),
    startStandInTelegram(),
    startStandInSlack(),
    startStandInWhatsapp(),
  ]);
  const standIns: StandIns = {
    llm: llm.url,
    webPages: webPages.url,
    canary: canary.url,
    search: search.url,
    doh: doh.url,
    runner: { url: runner.url, secret: runner.secret, control: runner.control },
    mcp: mcp.url,
    telegram: telegram.url,
    slack: slack.url,
    whatsapp: whatsapp.url,
  };
  project.provide("standIns", standIns);
  return async () => {
    await Promise.all([llm, webPages, canary, search, doh, runner, mcp, telegram, slack, whatsapp].map((s) => s.close()));
  };
}
