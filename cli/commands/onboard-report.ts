import path from "node:path";
import type { OnboardChoices, VarChange } from "./onboard-files.ts";

const CHANGE_WORDS: Record<VarChange, string> = {
  generated: "new",
  rotated: "rotated",
  kept: "kept",
  set: "set",
  empty: "empty: fill it in",
};

/** Names and what happened to them; values never (they are secrets). */
export function describeVars(changes: Record<string, VarChange>): string {
  return Object.entries(changes)
    .map(([name, change]) => `${name} (${CHANGE_WORDS[change]})`)
    .join(", ");
}

/** What a user needs after onboard: where the key is, and the next steps in the README's order. */
export function nextSteps(root: string, choices: OnboardChoices | null, changes: Record<string, VarChange>): string[] {
  const lines: string[] = [];
  const rel = path.relative(process.cwd(), root);
  const file = rel === "" ? ".dev.vars" : path.join(rel.startsWith("..") ? root : rel, ".dev.vars");
  lines.push(
    "The gateway's API key is NANOBOT_API_KEY in .dev.vars. Inside the project folder the CLI reads it from there, so no export is needed;",
    `for curl or other clients: export NANOBOT_API_KEY=$(grep '^NANOBOT_API_KEY=' ${file} | cut -d= -f2-)`,
  );
  if (changes.NANOBOT_API_KEY === "rotated") lines.push("The old API key no longer works once the gateway has reloaded .dev.vars.");
  if (choices?.keyVar && changes[choices.keyVar] === "empty") {
    lines.push(`${choices.keyVar} in .dev.vars is empty: put your ${choices.provider} key there (the config refers to it as \${${choices.keyVar}}).`);
  }
  if (choices?.provider === "workers_ai") {
    lines.push("Workers AI answers once deployed (npx nanobot deploy); under npm start the chat asks you to configure another provider.");
  }
  if (changes.TELEGRAM_BOT_TOKEN) {
    lines.push("Telegram is on. Message your bot: you get a pairing code; approve it with npx nanobot pairing approve CODE.");
  }
  if (changes.SLACK_BOT_TOKEN && changes.SLACK_SIGNING_SECRET) {
    lines.push("Slack is on. Slack sends events to a public URL (…/webhooks/slack): deploy, then paste the manifest npx nanobot deploy prints.");
  }
  lines.push(
    "The workspace templates (AGENTS.md, SOUL.md, USER.md, HEARTBEAT.md, memory/MEMORY.md) are created by the gateway on the first message.",
    "Next: `npm start` (a running `npm start` reloads .dev.vars by itself), then `npx nanobot agent -m \"hello\"`.",
  );
  return lines;
}
