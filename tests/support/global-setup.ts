import type { TestProject } from "vitest/node";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInRunner } from "./stand-in-runner.ts";

export default async function setup(project: TestProject) {
  const llm = await startStandInLlm();
  const runner = await startStandInRunner();
  project.provide("standIns", { llm: llm.url, runner: { url: runner.url, secret: runner.secret, control: runner.control } });
  return async () => {
    await llm.close();
    await runner.close();
  };
}
