import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { CliError } from "../cli-error.ts";
import { helpOption, parseCommandArgs } from "../options.ts";
import { findProjectRoot, readDevVars } from "../project.ts";
import { PROVIDER_CHOICES, buildConfig, buildDevVars, formatDevVars, providerKeyVar, type OnboardChoices } from "./onboard-files.ts";

export const onboardHelp = `Usage: npx nanobot onboard [options]

Writes nanobot.config.json (secrets only as \${VAR} references) and .dev.vars (a generated API key for the
gateway's OpenAI-compatible API, a Telegram webhook secret, your provider key). Asks for the provider on a
terminal; asks nothing when stdin is not a terminal (use the flags). Existing files are never overwritten
without --force. The workspace templates (AGENTS.md, SOUL.md, USER.md, …) are seeded by the gateway itself on
the first message.

Options:
  --provider NAME       provider (${PROVIDER_CHOICES.map((p) => p.name).join(", ")}, or any registry name); default ollama
  --model NAME          model id for that provider
  --api-base URL        the provider's base URL (needed for custom)
  --provider-key KEY    the provider's API key (stored in .dev.vars)
  --dir DIR             project folder (default: the nanobot-edge project containing the current folder)
  --force               overwrite existing nanobot.config.json / .dev.vars (other variables in .dev.vars are kept)
  -h, --help            show this help`;

const options = {
  ...helpOption,
  provider: { type: "string" },
  model: { type: "string" },
  "api-base": { type: "string" },
  "provider-key": { type: "string" },
  dir: { type: "string" },
  force: { type: "boolean", default: false },
} as const;

/** An empty `{}` is what `npm start` writes on a fresh clone; replacing it loses nothing. */
function isBlankConfig(file: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return !!parsed && typeof parsed === "object" && Object.keys(parsed).length === 0;
  } catch {
    return false;
  }
}

async function askChoices(given: Partial<OnboardChoices>): Promise<Partial<OnboardChoices>> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const names = PROVIDER_CHOICES.map((p) => p.name);
    const provider = given.provider ?? ((await rl.question(`Provider (${names.join(", ")}) [openrouter]: `)).trim() || "openrouter");
    const preset = PROVIDER_CHOICES.find((p) => p.name === provider);
    const model = given.model ?? ((await rl.question(`Model [${preset?.model ?? "default"}]: `)).trim() || preset?.model);
    let apiBase = given.apiBase ?? preset?.apiBase;
    if (!apiBase && provider === "custom") apiBase = (await rl.question("API base URL (OpenAI-compatible, e.g. http://127.0.0.1:8000/v1): ")).trim();
    let providerKey = given.providerKey;
    if (!providerKey && (preset?.needsKey ?? true)) {
      providerKey = (await rl.question(`${providerKeyVar(provider)} (leave empty to add it to .dev.vars later): `)).trim() || undefined;
    }
    return { provider, model, apiBase: apiBase || undefined, providerKey };
  } finally {
    rl.close();
  }
}

export async function onboardCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs("onboard", argv, options);
  if (values.help) {
    process.stdout.write(`${onboardHelp}\n`);
    return 0;
  }
  const root = values.dir ? path.resolve(values.dir) : findProjectRoot(process.cwd());
  if (!root) throw new CliError("Run `npx nanobot onboard` inside the nanobot-edge project folder (or pass --dir).");
  const configFile = path.join(root, "nanobot.config.json");
  const varsFile = path.join(root, ".dev.vars");
  const blocking = [configFile, varsFile].filter((f) => existsSync(f) && !(f === configFile && isBlankConfig(f)));
  if (blocking.length && !values.force) {
    throw new CliError(`${blocking.map((f) => path.basename(f)).join(" and ")} already exist${blocking.length === 1 ? "s" : ""} in ${root}; nothing was changed. Re-run with --force to replace ${blocking.length === 1 ? "it" : "them"}.`);
  }

  let given: Partial<OnboardChoices> = {
    provider: values.provider,
    model: values.model,
    apiBase: values["api-base"],
    providerKey: values["provider-key"],
  };
  if (process.stdin.isTTY && process.stdout.isTTY && !values.provider) given = await askChoices(given);
  const provider = given.provider ?? "ollama";
  const preset = PROVIDER_CHOICES.find((p) => p.name === provider);
  const model = given.model ?? preset?.model;
  if (!model) throw new CliError(`Pass --model for provider "${provider}".`, 2);
  const apiBase = given.apiBase ?? preset?.apiBase;
  if (provider === "custom" && !apiBase) throw new CliError("The custom provider needs --api-base (an OpenAI-compatible URL ending in /v1).", 2);
  const choices: OnboardChoices = {
    provider,
    model,
    apiBase,
    providerKey: given.providerKey,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC",
  };

  writeFileSync(configFile, `${JSON.stringify(buildConfig(choices), null, 2)}\n`);
  const existingVars = values.force ? readDevVars(root) : {};
  writeFileSync(varsFile, formatDevVars(buildDevVars(choices, existingVars)), { mode: 0o600 });

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Wrote ${configFile}`);
  out(`Wrote ${varsFile} (NANOBOT_API_KEY, TELEGRAM_WEBHOOK_SECRET${choices.providerKey ? `, ${providerKeyVar(provider)}` : ""})`);
  if ((preset?.needsKey ?? provider !== "custom") && !choices.providerKey) {
    out(`Add your provider key: put ${providerKeyVar(provider)}=… in .dev.vars and "apiKey": "\${${providerKeyVar(provider)}}" under providers.${provider} in nanobot.config.json.`);
  }
  out("The workspace templates (AGENTS.md, SOUL.md, USER.md, HEARTBEAT.md, memory/MEMORY.md) are created by the gateway on the first message.");
  out("Next: `npm start`, then `npx nanobot agent -m \"hello\"`.");
  return 0;
}
