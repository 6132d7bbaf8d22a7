import { UsageError } from "../cli-error.ts";
import { connectionFromFlags } from "../connection.ts";
import { GatewayClient } from "../gateway-client.ts";
import { connectionHelp, connectionOptions, helpOption, parseCommandArgs } from "../options.ts";

export const channelsHelp = `Usage: npx nanobot channels status [options]
       npx nanobot channels register discord [options]

status: shows each chat channel's configuration as the gateway sees it (enabled, allowFrom, groupPolicy, which
secrets are set), for Telegram the webhook as Telegram reports it (URL, pending updates, last error), and for
WhatsApp and email how many messages could not be delivered in the last 7 days.
register discord: creates the Discord commands (/ask, /new, /stop, /status and the "Ask nanobot" message
command) through the gateway, with its channels.discord settings; running it again replaces them. With
channels.discord.gateway on it also opens the Discord Gateway connection.

Options:
  --json               print the raw JSON
${connectionHelp}
  -h, --help           show this help`;

const options = { ...connectionOptions, ...helpOption, json: { type: "boolean" } } as const;

interface ChannelStatus {
  name: string;
  enabled: boolean;
  webhook: string | { url?: string; pendingUpdates?: number; lastErrorDate?: string | null; lastErrorMessage?: string | null };
  allowFrom: string[];
  groupPolicy: string | null;
  secretsSet: Record<string, boolean>;
  bot?: string;
  statusError?: string;
  /** Discord with channels.discord.gateway: the Gateway connection's state. */
  gateway?: GatewayState | null;
  /** Messages the channel recorded as not delivered in the last 7 days (WhatsApp's 24-hour window, email). */
  undelivered?: number;
}

interface GatewayState {
  state: string;
  resumed?: number;
  error?: string;
}

const gatewayLine = (g: GatewayState) => `${g.state}${g.resumed ? ` (resumed ${g.resumed}×)` : ""}${g.error ? `: ${g.error}` : ""}`;

export function formatChannels(channels: ChannelStatus[]): string {
  const lines: string[] = [];
  for (const ch of channels) {
    lines.push(`${ch.name}: ${ch.enabled ? "enabled" : "disabled"}${ch.bot ? ` (${ch.bot})` : ""}`);
    if (!ch.enabled) continue;
    lines.push(`  allowFrom:   ${ch.allowFrom.length ? ch.allowFrom.join(", ") : "(nobody; unknown DMs get pairing codes)"}`);
    lines.push(`  groupPolicy: ${ch.groupPolicy}`);
    const missing = Object.entries(ch.secretsSet).filter(([, set]) => !set).map(([k]) => k);
    lines.push(`  secrets:     ${missing.length ? `missing ${missing.join(", ")}` : "all set"}`);
    if (typeof ch.webhook === "object") {
      lines.push(`  webhook:     ${ch.webhook.url || "(not registered: run npx nanobot deploy)"}`);
      lines.push(`  pending:     ${ch.webhook.pendingUpdates ?? 0} update(s)`);
      if (ch.webhook.lastErrorMessage) lines.push(`  last error:  ${ch.webhook.lastErrorMessage} (${ch.webhook.lastErrorDate})`);
    } else lines.push(`  webhook:     ${ch.webhook.startsWith("/") ? `<gateway URL>${ch.webhook}` : ch.webhook}`);
    if (ch.gateway) lines.push(`  gateway:     ${gatewayLine(ch.gateway)}`);
    if (ch.undelivered) lines.push(`  undelivered: ${ch.undelivered} message(s) in the last 7 days (npx nanobot doctor says why)`);
    if (ch.statusError) lines.push(`  status:      could not ask the platform: ${ch.statusError}`);
  }
  return lines.join("\n");
}

export async function channelsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("channels", argv, options);
  if (values.help) {
    process.stdout.write(`${channelsHelp}\n`);
    return 0;
  }
  if (positionals[0] === "register") return registerCommand(positionals[1], values);
  if (positionals[0] !== "status") throw new UsageError(`Unknown subcommand "${positionals[0] ?? ""}". Usage: npx nanobot channels status | channels register discord`);
  const client = new GatewayClient(connectionFromFlags(values));
  const { channels } = await client.admin<{ channels: ChannelStatus[] }>("/channels");
  process.stdout.write(`${values.json ? JSON.stringify(channels, null, 2) : formatChannels(channels)}\n`);
  return 0;
}

async function registerCommand(channel: string | undefined, values: Parameters<typeof connectionFromFlags>[0] & { json?: boolean }): Promise<number> {
  if (channel !== "discord") throw new UsageError(`Only Discord has commands to register. Usage: npx nanobot channels register discord`);
  const client = new GatewayClient(connectionFromFlags(values));
  const result = await client.admin<{ commands: Array<{ name: string; type: number }>; gateway?: GatewayState }>("/channels/discord/commands", {});
  const names = result.commands.map((c) => (c.type === 1 ? `/${c.name}` : `"${c.name}"`));
  const gateway = result.gateway ? `Gateway: ${gatewayLine(result.gateway)}.\n` : "";
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `Registered ${names.length} Discord commands: ${names.join(", ")}.\n${gateway}`);
  return 0;
}
