import type { TestProject } from "vitest/node";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInMcp } from "./stand-in-mcp.ts";

export default async function setup(project: TestProject) {
  const llm = await startStandInLlm();
  const mcp = await startStandInMcp();
  project.provide("standIns", { llm: llm.url, mcp: mcp.url });
  return async () => {
    await mcp.close();
    await llm.close();
  };
}
