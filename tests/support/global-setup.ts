import type { TestProject } from "vitest/node";
import { startDoh } from "./stand-in-doh.ts";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInMcp } from "./stand-in-mcp.ts";
import { startStandInRunner } from "./stand-in-runner.ts";
import { startSearch } from "./stand-in-search.ts";
import { startCanary, startWebPages } from "./stand-in-web-pages.ts";
import type { StandIns } from "./stand-ins.d.ts";

/** Starts every stand-in server on 127.0.0.1 (one line each) and hands their URLs to the Worker tests. */
export default async function setup(project: TestProject) {
  const [llm, webPages, canary, search, doh, runner, mcp] = await Promise.all([
    startStandInLlm(),
    startWebPages(),
    startCanary(),
    startSearch(),
    startDoh(),
    startStandInRunner(),
    startStandInMcp(),
  ]);
  const standIns: StandIns = {
    llm: llm.url,
    webPages: webPages.url,
    canary: canary.url,
    search: search.url,
    doh: doh.url,
    runner: { url: runner.url, secret: runner.secret, control: runner.control },
    mcp: mcp.url,
  };
  project.provide("standIns", standIns);
  return async () => {
    await Promise.all([llm.close(), webPages.close(), canary.close(), search.close(), doh.close(), runner.close(), mcp.close()]);
  };
}
