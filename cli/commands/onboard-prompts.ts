import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { CliError } from "../cli-error.ts";
import { KNOWN_PROVIDERS, PROVIDER_CHOICES, defaultKeyVar, needsKey, providerChoice } from "./onboard-files.ts";
import type { OnboardChoices } from "./onboard-files.ts";

/** The answers the questions can give; a field already set (from a flag) is not asked again. */
export type Answers = Partial<Omit<OnboardChoices, "exec" | "timezone">>;

export interface PromptIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A terminal echoes typed characters; secrets are then asked with the echo muted. */
  terminal: boolean;
}

export interface Asker {
  ask(question: string, options?: { secret?: boolean }): Promise<string>;
  confirm(question: string): Promise<boolean>;
  close(): void;
}

export const INTERRUPTED = "onboard was interrupted before the last answer; nothing was changed.";

/** Questions on a terminal (or any stream pair in tests); lines are buffered, so answers may arrive early. */
export function createAsker(io: PromptIo): Asker {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, done) {
      if (!muted) io.output.write(chunk, encoding);
      done();
    },
  });
  const rl = createInterface({ input: io.input, output, terminal: io.terminal });
  // Ctrl-C at a question: stop without writing anything (the caller sees the end of input).
  rl.on("SIGINT", () => {
    io.output.write("\n");
    rl.close();
  });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (question: string, options: { secret?: boolean } = {}) => {
    // Muted before the question shows: an answer typed ahead must not be echoed either.
    muted = Boolean(options.secret && io.terminal);
    io.output.write(question);
    try {
      const next = await lines.next();
      if (next.done) throw new CliError(INTERRUPTED);
      return String(next.value).trim();
    } finally {
      if (muted) io.output.write("\n");
      muted = false;
    }
  };
  return {
    ask,
    confirm: async (question) => /^y(es)?$/i.test(await ask(`${question} [y/N] `)),
    close: () => rl.close(),
  };
}

function validUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

async function askProvider(q: Asker, out: (s: string) => void): Promise<string> {
  out("Which LLM provider?\n");
  PROVIDER_CHOICES.forEach((p, i) => out(`  ${i + 1}) ${p.name.padEnd(11)} ${p.note}\n`));
  for (;;) {
    const answer = (await q.ask("Provider [1]: ")) || "1";
    const byNumber = PROVIDER_CHOICES[Number(answer) - 1];
    if (byNumber) return byNumber.name;
    if (KNOWN_PROVIDERS.includes(answer.toLowerCase())) return answer.toLowerCase();
    out(`Pick 1 to ${PROVIDER_CHOICES.length}, or one of ${KNOWN_PROVIDERS.join(", ")} (custom: any OpenAI-compatible endpoint).\n`);
  }
}

/** Asks what the flags did not answer: provider, model, URL (custom), key, Telegram and Slack tokens. */
export async function askChoices(q: Asker, given: Answers, existingVars: Record<string, string>, out: (s: string) => void): Promise<Answers> {
  const a: Answers = { ...given };
  a.provider ??= await askProvider(q, out);
  const preset = providerChoice(a.provider);
  a.model ??= (await q.ask(`Model [${preset?.model ?? "required"}]: `)) || preset?.model;
  while (!a.model) a.model = await q.ask("Model (the provider's model id): ");
  // custom, or a name the registry does not know (a flag): an OpenAI-compatible endpoint needs its URL.
  if (!a.apiBase && (a.provider === "custom" || !KNOWN_PROVIDERS.includes(a.provider))) {
    for (;;) {
      const url = await q.ask("API base URL (OpenAI-compatible, e.g. http://127.0.0.1:8000/v1): ");
      if (validUrl(url)) {
        a.apiBase = url;
        break;
      }
      out("That is not an http(s) URL.\n");
    }
  }
  if (!a.keyVar && needsKey(a.provider)) a.keyVar = defaultKeyVar(a.provider);
  if (a.keyVar && a.providerKey === undefined) {
    const hint = existingVars[a.keyVar] ? "Enter keeps the one in .dev.vars" : "Enter to fill it in later in .dev.vars";
    a.providerKey = (await q.ask(`${a.keyVar} (input hidden; ${hint}): `, { secret: true })) || undefined;
  }
  const keep = (name: string) => (existingVars[name] ? "Enter keeps the one in .dev.vars" : "Enter to skip");
  if (a.telegramToken === undefined) {
    a.telegramToken = (await q.ask(`Telegram bot token from @BotFather (input hidden; ${keep("TELEGRAM_BOT_TOKEN")}): `, { secret: true })) || undefined;
  }
  if (a.slackBotToken === undefined && a.slackSigningSecret === undefined) {
    a.slackBotToken = (await q.ask(`Slack bot token xoxb-… (input hidden; ${keep("SLACK_BOT_TOKEN")}): `, { secret: true })) || undefined;
  }
  if (a.slackSigningSecret === undefined && (a.slackBotToken || existingVars.SLACK_BOT_TOKEN)) {
    a.slackSigningSecret = (await q.ask(`Slack signing secret (input hidden; ${keep("SLACK_SIGNING_SECRET")}): `, { secret: true })) || undefined;
  }
  return a;
}
