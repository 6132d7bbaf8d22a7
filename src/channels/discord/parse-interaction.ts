import type { InboundMessage } from "../../session-protocol/inbound.ts";
import type { PlatformFile } from "../types.ts";
import { ASK_MESSAGE_COMMAND, SESSION_COMMANDS } from "./commands.ts";

interface DiscordUser {
  id: string;
  username?: string;
  global_name?: string | null;
  bot?: boolean;
}

interface DiscordAttachment {
  id: string;
  filename?: string;
  content_type?: string;
  size?: number;
  url?: string;
}

/** The parts of an interaction (discord.com/developers/docs/interactions/receiving-and-responding) we read. */
export interface Interaction {
  id: string;
  application_id: string;
  /** 1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE, 5 MODAL_SUBMIT. */
  type: number;
  token: string;
  guild_id?: string;
  channel_id?: string;
  channel?: { id: string; type?: number };
  /** In a server: the member (with the user); in DMs `user` instead. */
  member?: { user: DiscordUser };
  user?: DiscordUser;
  data?: {
    id: string;
    name: string;
    /** 1 CHAT_INPUT (slash), 2 USER, 3 MESSAGE (context menu). */
    type: number;
    options?: Array<{ name: string; type: number; value?: string | number | boolean }>;
    target_id?: string;
    resolved?: {
      attachments?: Record<string, DiscordAttachment>;
      messages?: Record<string, { id: string; content?: string; author?: DiscordUser; attachments?: DiscordAttachment[] }>;
    };
  };
}

type Parsed = { ok: true; message: InboundMessage; files: PlatformFile[] } | { ok: false; reason: string };

const toFile = (a: DiscordAttachment): PlatformFile | null => (a.url ? { id: a.id, name: a.filename, mimeType: a.content_type, size: a.size, url: a.url } : null);

/**
 * `/ask prompt [file]`, `/new`, `/stop`, `/status` and the "Ask nanobot" message command → the channel-neutral
 * message. The session commands arrive as their text ("/new"), as typed on other channels. The interaction
 * token is the message id: the answer is edited into the interaction's deferred response through it.
 */
export function parseInteraction(interaction: Interaction): Parsed {
  const data = interaction.data;
  if (interaction.type !== 2 || !data) return { ok: false, reason: `interaction type ${interaction.type}` };
  const user = interaction.member?.user ?? interaction.user;
  const chatId = interaction.channel_id ?? interaction.channel?.id;
  if (!user || !chatId) return { ok: false, reason: "interaction without user or channel" };
  let text: string;
  let files: PlatformFile[] = [];
  if (data.type === 1 && data.name === "ask") {
    text = String(data.options?.find((o) => o.name === "prompt")?.value ?? "").trim();
    const fileId = data.options?.find((o) => o.name === "file")?.value;
    const attachment = fileId !== undefined ? data.resolved?.attachments?.[String(fileId)] : undefined;
    files = attachment ? [toFile(attachment)].filter((f): f is PlatformFile => f !== null) : [];
  } else if (data.type === 1 && SESSION_COMMANDS.some((c) => c.name === data.name)) {
    text = `/${data.name}`;
  } else if (data.type === 3 && data.name === ASK_MESSAGE_COMMAND) {
    const target = data.target_id ? data.resolved?.messages?.[data.target_id] : undefined;
    if (!target) return { ok: false, reason: "message command without its message" };
    text = (target.content ?? "").trim();
    files = (target.attachments ?? []).map(toFile).filter((f): f is PlatformFile => f !== null);
  } else return { ok: false, reason: `unknown command ${data.name}` };
  if (!text && !files.length) return { ok: false, reason: "empty prompt" };
  const isGroup = Boolean(interaction.guild_id);
  return {
    ok: true,
    files,
    message: {
      channel: "discord",
      chatId,
      senderId: user.id,
      senderUsername: user.username,
      senderName: user.global_name ?? user.username,
      text,
      isGroup,
      ...(interaction.guild_id ? { groupIds: [interaction.guild_id] } : {}),
      // A command is always addressed to the bot.
      mentionsBot: true,
      messageId: interaction.token,
      eventId: interaction.id,
    },
  };
}
