import type { TestProject } from "vitest/node";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startDoh } from "./stand-in-doh.ts";
import { startSearch } from "./stand-in-search.ts";
import { startCanary, startWebPages } from "./stand-in-web-pages.ts";

export default async function setup(project: TestProject) {
  const llm = await startStandInLlm();
  const [webPages, canary, search, doh] = await Promise.all([startWebPages(), startCanary(), startSearch(), startDoh()]);
  project.provide("standIns", { llm: llm.url, webPages: webPages.url, canary: canary.url, search: search.url, doh: doh.url });
  return async () => {
    await Promise.all([llm.close(), webPages.close(), canary.close(), search.close(), doh.close()]);
  };
}
