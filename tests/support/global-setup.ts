import type { TestProject } from "vitest/node";
import { startStandInLlm } from "./stand-in-llm.ts";

export default async function setup(project: TestProject) {
  const llm = await startStandInLlm();
  project.provide("standIns", { llm: llm.url });
  return async () => {
    await llm.close();
  };
}
