import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resolveConfig } from "../../src/config/resolve-config.ts";
import { CliError, UsageError } from "../cli-error.ts";
import { helpOption, parseCommandArgs } from "../options.ts";
import { findProjectRoot, parseDotenv } from "../project.ts";
import {
  DEFAULT_PROVIDER,
  KNOWN_PROVIDERS,
  PROVIDER_CHOICES,
  buildFiles,
  defaultKeyVar,
  generateApiKey,
  generateSecret,
  needsKey,
  providerChoice,
  providerKeyVar,
  updateDevVarsText,
  type OnboardChoices,
  type VarChange,
} from "./onboard-files.ts";
import { askChoices, createAsker, type Answers, type Asker } from "./onboard-prompts.ts";
import { describeVars, nextSteps } from "./onboard-report.ts";

const FLAGS = `  --provider NAME       ${PROVIDER_CHOICES.map((p) => p.name).join(", ")},
                        or another registry name (default ${DEFAULT_PROVIDER})
  --model ID            model id for that provider (default: the provider's usual first model)
  --api-base URL        the provider's base URL (required for custom)
  --provider-key KEY    the provider's API key, stored in .dev.vars
  --api-key-env VAR     the .dev.vars variable for the provider key
                        (default <PROVIDER>_API_KEY, e.g. OPENROUTER_API_KEY)
  --telegram-token T    turns Telegram on (TELEGRAM_BOT_TOKEN); strangers who message the bot get a pairing code
  --slack-bot-token T   with --slack-signing-secret S: turns Slack on (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)
  --slack-signing-secret S
  --no-exec             turn the exec (shell) tool off
  --yes, -y             ask nothing: defaults for whatever no flag answers (needed without a terminal)
  --force               replace an existing nanobot.config.json without asking (.dev.vars secrets are still kept)
  --rotate-secrets      new NANOBOT_API_KEY and TELEGRAM_WEBHOOK_SECRET (otherwise existing ones are kept)
  --dir DIR             project folder (default: the nanobot-edge project containing the current folder)`;

const EXAMPLE = "npx nanobot onboard --yes --provider openrouter --model anthropic/claude-sonnet-4.5 --provider-key sk-or-…";

export const onboardHelp = `Usage: npx nanobot onboard [options]

Sets the project up: nanobot.config.json (secrets only as \${VAR} references) and .dev.vars (mode 0600): the
gateway's API key NANOBOT_API_KEY, TELEGRAM_WEBHOOK_SECRET, your provider key and channel tokens. On a terminal
it asks for what the flags do not give, and asks before replacing an existing nanobot.config.json. Without a
terminal pass --yes (it then never asks). Values already in .dev.vars are kept unless --rotate-secrets or a new
value is given. A running \`npm start\` reloads .dev.vars by itself.

Options:
${FLAGS}
  -h, --help            show this help

Example: ${EXAMPLE}`;

const options = {
  ...helpOption,
  provider: { type: "string" },
  model: { type: "string" },
  "api-base": { type: "string" },
  "provider-key": { type: "string" },
  "api-key-env": { type: "string" },
  "telegram-token": { type: "string" },
  "slack-bot-token": { type: "string" },
  "slack-signing-secret": { type: "string" },
  exec: { type: "boolean", default: true },
  yes: { type: "boolean", short: "y", default: false },
  force: { type: "boolean", default: false },
  "rotate-secrets": { type: "boolean", default: false },
  dir: { type: "string" },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof options>>["values"];

const MANAGED = ["NANOBOT_API_KEY", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"];

/** An empty `{}` is what `npm start` writes on a fresh clone; replacing it loses nothing. */
function isBlankConfig(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return !!parsed && typeof parsed === "object" && Object.keys(parsed).length === 0;
  } catch {
    return false;
  }
}

function checkFlags(values: Values, existingVars: Record<string, string>): void {
  const base = values["api-base"];
  if (base !== undefined && !/^https?:\/\/[^/\s]+/.test(base)) throw new UsageError(`--api-base must be an http(s) URL such as http://127.0.0.1:8000/v1 (got "${base}").`);
  const env = values["api-key-env"];
  if (env !== undefined && (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env) || MANAGED.includes(env))) {
    throw new UsageError(`--api-key-env needs a variable name like MY_LLM_KEY (letters, digits, _), not one onboard manages itself (got "${env}").`);
  }
  const bot = values["slack-bot-token"] ?? existingVars.SLACK_BOT_TOKEN;
  const secret = values["slack-signing-secret"] ?? existingVars.SLACK_SIGNING_SECRET;
  if ((values["slack-bot-token"] !== undefined || values["slack-signing-secret"] !== undefined) && (!bot || !secret)) {
    throw new UsageError(
      `Slack needs both tokens: ${bot ? "--slack-signing-secret S (Basic Information › Signing Secret)" : "--slack-bot-token xoxb-… (OAuth & Permissions › Bot User OAuth Token)"} is missing; nothing was changed.`,
    );
  }
}

/** Flags that shape the config: with an existing config and no --force they would be silently ignored. */
const configFlagGiven = (v: Values) =>
  [v.provider, v.model, v["api-base"], v["provider-key"], v["api-key-env"], v["telegram-token"], v["slack-bot-token"], v["slack-signing-secret"]].some(
    (x) => x !== undefined,
  ) || v.exec === false;

function finalChoices(a: Answers, exec: boolean): OnboardChoices {
  const named = (a.provider ?? DEFAULT_PROVIDER).trim();
  const provider = KNOWN_PROVIDERS.includes(named.toLowerCase()) ? named.toLowerCase() : named;
  const preset = providerChoice(provider);
  const apiBase = a.apiBase ?? preset?.apiBase;
  if (!KNOWN_PROVIDERS.includes(provider) && !apiBase) {
    throw new UsageError(`Unknown provider "${provider}": use one of ${KNOWN_PROVIDERS.join(", ")}, or pass --api-base URL for an OpenAI-compatible endpoint.`);
  }
  if (provider === "custom" && !apiBase) throw new UsageError("The custom provider needs --api-base (an OpenAI-compatible URL ending in /v1).");
  const model = a.model ?? preset?.model;
  if (!model) throw new UsageError(`Pass --model for provider "${provider}".`);
  const keyVar = a.keyVar ?? (needsKey(provider) || a.providerKey ? findKeyVar(provider) : undefined);
  return {
    provider,
    model,
    apiBase,
    keyVar,
    providerKey: a.providerKey,
    telegramToken: a.telegramToken,
    slackBotToken: a.slackBotToken,
    slackSigningSecret: a.slackSigningSecret,
    exec,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  };
}

const findKeyVar = (provider: string) => (KNOWN_PROVIDERS.includes(provider) ? defaultKeyVar(provider) : providerKeyVar(provider));

/** .dev.vars holds secrets: mode 0600, also when it existed before with wider permissions. */
function writeDevVars(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  try {
    chmodSync(file, 0o600); // the mode option applies only when the file is created
  } catch {
    // Windows has no POSIX modes; the file is written all the same.
  }
}

const nonInteractive = () =>
  new UsageError(
    `onboard asks questions and this is not a terminal, so nothing was changed. Answer with flags and add --yes ` +
      `(defaults for anything not given):\n${FLAGS}\nExample: ${EXAMPLE}`,
  );

/** The existing config stays; only NANOBOT_API_KEY and TELEGRAM_WEBHOOK_SECRET get new values. */
function rotateOnly(varsFile: string, existingText: string | null, existingVars: Record<string, string>, out: (line: string) => void): number {
  const vars = { NANOBOT_API_KEY: generateApiKey(), TELEGRAM_WEBHOOK_SECRET: generateSecret() };
  const changes: Record<string, VarChange> = {
    NANOBOT_API_KEY: existingVars.NANOBOT_API_KEY ? "rotated" : "generated",
    TELEGRAM_WEBHOOK_SECRET: existingVars.TELEGRAM_WEBHOOK_SECRET ? "rotated" : "generated",
  };
  writeDevVars(varsFile, updateDevVarsText(existingText, vars, existingVars));
  out(`Kept nanobot.config.json. Wrote ${varsFile}: ${describeVars(changes)}`);
  for (const line of nextSteps(path.dirname(varsFile), null, changes)) out(line);
  return 0;
}

/** The terminal onboard talks to; tests pass streams of their own. */
export interface OnboardIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function onboardCommand(argv: string[], io: OnboardIo = { stdin: process.stdin, stdout: process.stdout }): Promise<number> {
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  const { values } = parseCommandArgs("onboard", argv, options);
  if (values.help) {
    out(onboardHelp);
    return 0;
  }
  const root = values.dir ? path.resolve(values.dir) : findProjectRoot(process.cwd());
  if (!root) throw new CliError("Run `npx nanobot onboard` inside the nanobot-edge project folder (or pass --dir).");
  const interactive = !values.yes && Boolean(io.stdin.isTTY && io.stdout.isTTY);
  if (!values.yes && !interactive) throw nonInteractive();

  const configFile = path.join(root, "nanobot.config.json");
  const varsFile = path.join(root, ".dev.vars");
  const existingText = existsSync(varsFile) ? readFileSync(varsFile, "utf8") : null;
  const existingVars = existingText === null ? {} : parseDotenv(existingText);
  checkFlags(values, existingVars);
  const configExists = existsSync(configFile) && !isBlankConfig(readFileSync(configFile, "utf8"));

  const asker: Asker | null = interactive ? createAsker({ input: io.stdin, output: io.stdout, terminal: true }) : null;
  try {
    if (configExists && !values.force) {
      const replace = asker ? await asker.confirm(`${configFile} already exists. Replace it? Your secrets in .dev.vars are kept.`) : false;
      if (!replace) {
        if (values["rotate-secrets"] && !configFlagGiven(values)) return rotateOnly(varsFile, existingText, existingVars, out);
        if (asker) {
          out("Kept nanobot.config.json; nothing was changed.");
          return 0;
        }
        throw new CliError(
          `nanobot.config.json already exists in ${root}; nothing was changed. Re-run with --force to replace it (the secrets in .dev.vars are kept).`,
        );
      }
    }
    const given: Answers = {
      provider: values.provider,
      model: values.model,
      apiBase: values["api-base"],
      keyVar: values["api-key-env"],
      providerKey: values["provider-key"],
      telegramToken: values["telegram-token"],
      slackBotToken: values["slack-bot-token"],
      slackSigningSecret: values["slack-signing-secret"],
    };
    const answers = asker ? await askChoices(asker, given, existingVars, (s) => io.stdout.write(s)) : given;
    if (answers.slackBotToken && !answers.slackSigningSecret && !existingVars.SLACK_SIGNING_SECRET) {
      out("Slack stays off: it needs the signing secret too (run onboard again with --slack-signing-secret S).");
    }
    const choices = finalChoices(answers, values.exec !== false);
    const files = buildFiles(choices, existingVars, values["rotate-secrets"] === true);
    const configText = `${JSON.stringify(files.config, null, 2)}\n`;
    const varsText = updateDevVarsText(existingText, files.vars, existingVars);
    // Validate exactly as the Worker will, with the variables as they will be in .dev.vars: a config that
    // refers to a variable the file lacks would make every route answer 503/500.
    const check = resolveConfig({ name: "nanobot.config.json", text: configText }, undefined, parseDotenv(varsText));
    if (!check.ok) throw new CliError(`onboard built a config the gateway would reject (${check.error.message}); nothing was written. Please report this.`);
    writeFileSync(configFile, configText);
    writeDevVars(varsFile, varsText);
    const channels = [files.changes.TELEGRAM_BOT_TOKEN ? "Telegram" : null, (files.config.channels as { slack?: unknown }).slack ? "Slack" : null].filter(Boolean);
    out(`Wrote ${configFile}: provider ${choices.provider}, model ${choices.model}, channels: ${channels.join(", ") || "none"}, exec ${choices.exec ? "on" : "off"}`);
    out(`Wrote ${varsFile} (mode 0600): ${describeVars(files.changes)}`);
    for (const line of nextSteps(root, choices, files.changes)) out(line);
    return 0;
  } finally {
    asker?.close();
  }
}
