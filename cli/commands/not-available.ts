import { CliError } from "../cli-error.ts";

const SUBCOMMANDS: Record<string, string> = {
  cron: "list|add|remove",
  channels: "status",
  pairing: "list|approve|deny",
};

export function notAvailableHelp(command: string): string {
  return `Usage: npx nanobot ${command} ${SUBCOMMANDS[command] ?? ""}\n\nNot available in the CLI yet. Meanwhile use the chat command instead (e.g. /pairing approve CODE).`;
}

/** Commands of the contract that have no CLI implementation yet: an honest message and exit code 1. */
export async function notAvailableCommand(command: string, argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${notAvailableHelp(command)}\n`);
    return 0;
  }
  throw new CliError(`\`npx nanobot ${command}\` is not available yet. Send the chat command instead (\`npx nanobot agent -m "/${command === "channels" ? "status" : command}"\`).`);
}
