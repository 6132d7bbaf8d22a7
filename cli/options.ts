import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError } from "./cli-error.ts";

/** Options every gateway-talking command accepts. */
export const connectionOptions = {
  url: { type: "string" },
  "api-key": { type: "string" },
  timeout: { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

/** The help lines for connectionOptions, the same in every command. */
export const connectionHelp = `  --url URL            gateway URL (default: NANOBOT_URL, else http://127.0.0.1:8787)
  --api-key KEY        API key (default: NANOBOT_API_KEY, else NANOBOT_API_KEY in the project's .dev.vars,
                       written by \`npx nanobot onboard\` and read when run inside the project folder)
  --timeout SECONDS    how long to wait for the gateway to answer a request (default: NANOBOT_TIMEOUT, else 30)`;

export const helpOption = { help: { type: "boolean", short: "h" } } as const satisfies ParseArgsOptionsConfig;

export interface Parsed<T extends ParseArgsOptionsConfig> {
  values: { [K in keyof T]?: T[K] extends { type: "boolean" } ? boolean : string };
  positionals: string[];
}

/** Strict parsing: an unknown flag is a usage error naming the command's --help. */
export function parseCommandArgs<T extends ParseArgsOptionsConfig>(command: string, argv: string[], options: T): Parsed<T> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, allowNegative: true, strict: true });
    return { values: values as Parsed<T>["values"], positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.replace(/\s*To specify a positional argument.*$/s, "")}\nSee \`npx nanobot ${command} --help\`.`);
  }
}
