import { registerCommand } from "../../durable-objects/session/commands/command-router.ts";
import { pairingCommand } from "../pairing/pairing-command.ts";
import { emailChannel } from "./email/email-channel.ts";
import { registerOutbound } from "./outbound.ts";
import { slackChannel } from "./slack/slack-channel.ts";
import { telegramChannel } from "./telegram/telegram-channel.ts";
import { whatsappChannel } from "./whatsapp/whatsapp-channel.ts";
import type { ChannelAdapter } from "./types.ts";
// The WebUI is not a webhook channel (no adapter), but its outbound side lets cron and the message tool reach open tabs.
import "../webui/websocket-outbound.ts";

const channels = new Map<string, ChannelAdapter>();

export function registerChannel(adapter: ChannelAdapter): void {
  channels.set(adapter.name, adapter);
  registerOutbound(adapter.name, adapter.outbound);
}

export function channelFor(name: string): ChannelAdapter | null {
  return channels.get(name) ?? null;
}

export function allChannels(): ChannelAdapter[] {
  return [...channels.values()];
}

// One line per channel.
registerChannel(telegramChannel);
registerChannel(slackChannel);
registerChannel(whatsappChannel);
registerChannel(emailChannel);

registerCommand(pairingCommand);
