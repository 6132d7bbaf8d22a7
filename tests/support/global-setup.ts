import type { TestProject } from "vitest/node";
import { startStandInLlm } from "./stand-in-llm.ts";
import { startStandInSlack } from "./stand-in-slack.ts";
import { startStandInTelegram } from "./stand-in-telegram.ts";

export default async function setup(project: TestProject) {
  const llm = await startStandInLlm();
  const telegram = await startStandInTelegram();
  const slack = await startStandInSlack();
  project.provide("standIns", { llm: llm.url, telegram: telegram.url, slack: slack.url });
  return async () => {
    await Promise.all([llm.close(), telegram.close(), slack.close()]);
  };
}
