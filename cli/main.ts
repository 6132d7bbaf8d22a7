/** `npx nanobot <command>`: dispatches to one file per command under cli/commands/. */
import { CliError } from "./cli-error.ts";
import { agentCommand } from "./commands/agent.ts";
import { channelsCommand } from "./commands/channels.ts";
import { cronCommand } from "./commands/cron.ts";
import { deployCommand } from "./commands/deploy.ts";
import { doctorCommand } from "./commands/doctor.ts";
import { gatewayCommand } from "./commands/gateway.ts";
import { onboardCommand } from "./commands/onboard.ts";
import { pairingCommand } from "./commands/pairing.ts";
import { statusCommand } from "./commands/status.ts";
import { formatError } from "./error-output.ts";

export const mainHelp = `nanobot: your personal AI agent on Cloudflare Workers

Usage: npx nanobot <command> [options]

Commands:
  onboard            set up: writes nanobot.config.json and .dev.vars (API key, provider key, channel tokens)
  agent -m "…"       send one message and print the reply
  agent              interactive chat (exit, quit or Ctrl-D to leave)
  status             gateway health, models and the session's /status
  gateway            run the local gateway (same as \`npm start\`)
  deploy             everything production needs: D1/R2, migrations, secrets, upload, webhooks (--dry-run: the plan)
  doctor             check config, secrets, provider, channels, sandbox, D1 and MCP; one line per finding with its fix
  cron list|add|remove   scheduled jobs of the sessions (reminders)
  channels status    each channel's configuration and Telegram's webhook state
  channels register discord   create the Discord slash and message commands
  pairing list|approve CODE|deny CODE   access requests from unknown senders

Quick start: npm ci, npx nanobot onboard, npm start, npx nanobot agent -m hello.

The gateway URL is --url, else NANOBOT_URL, else http://127.0.0.1:8787. The API key is --api-key, else
NANOBOT_API_KEY, else NANOBOT_API_KEY in the project's .dev.vars (written by onboard) when run inside the
project folder, so no export is needed there. --timeout SECONDS (NANOBOT_TIMEOUT, default 30) limits the wait
for the gateway's answer. Errors never show a stack trace unless NANOBOT_DEBUG=1 is set.
Run \`npx nanobot <command> --help\` for a command's options.`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  onboard: onboardCommand,
  agent: agentCommand,
  status: statusCommand,
  gateway: gatewayCommand,
  deploy: deployCommand,
  doctor: doctorCommand,
  cron: cronCommand,
  channels: channelsCommand,
  pairing: pairingCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${mainHelp}\n`);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new CliError(`Unknown command "${command}". Run \`npx nanobot --help\` for the list.`, 2);
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${formatError(err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);
