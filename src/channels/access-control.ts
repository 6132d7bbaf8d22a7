import { PairingStore } from "../pairing/pairing-store.ts";
import type { InboundMessage } from "../session-protocol/inbound.ts";
import type { ChannelAccess } from "./types.ts";

/**
 * A channel section's access settings, or null when the channel is off. Channels without group chats (WeCom
 * app callbacks, WhatsApp's Cloud API, email) have no group keys: their chats are all direct, so the defaults
 * never apply.
 */
export function sectionAccess(section: { enabled: boolean; allowFrom: string[]; groupPolicy?: ChannelAccess["groupPolicy"]; groupAllowFrom?: string[] }): ChannelAccess | null {
  if (!section.enabled) return null;
  return { allowFrom: section.allowFrom, groupPolicy: section.groupPolicy ?? "mention", groupAllowFrom: section.groupAllowFrom ?? [] };
}

export type AccessDecision =
  | { kind: "allow" }
  /** Groups, or DMs with nothing to do: dropped silently (logged). */
  | { kind: "ignore"; reason: string }
  /** An unknown sender in a DM: they get a pairing code and nothing else happens. */
  | { kind: "pair" };

/** The ids `allowFrom` may name for this sender: the id, and the username with or without "@". */
export function senderIds(message: Pick<InboundMessage, "senderId" | "senderUsername">): string[] {
  const ids = [message.senderId];
  if (message.senderUsername) ids.push(message.senderUsername, `@${message.senderUsername}`);
  return ids;
}

export function listedIn(list: string[], ids: string[]): boolean {
  return list.includes("*") || ids.some((id) => list.includes(id));
}

/**
 * nanobot's rules: `"*"` allows everybody, an empty allowFrom nobody; approved senders (pairing) are allowed
 * per channel. Groups follow `groupPolicy` — `mention` (bot mentioned or replied to), `open`, `allowlist`
 * (the group itself is in groupAllowFrom) — and never get pairing codes.
 */
export async function decideAccess(db: D1Database, access: ChannelAccess, message: InboundMessage): Promise<AccessDecision> {
  const ids = senderIds(message);
  const allowedSender = async () => listedIn(access.allowFrom, ids) || (await new PairingStore(db).isApproved(message.channel, ids));
  if (message.isGroup) {
    if (access.groupPolicy === "allowlist") {
      return listedIn(access.groupAllowFrom, [message.chatId, ...(message.groupIds ?? [])]) ? { kind: "allow" } : { kind: "ignore", reason: "group not in groupAllowFrom" };
    }
    if (access.groupPolicy === "mention" && !message.mentionsBot) return { kind: "ignore", reason: "group message without mention" };
    return (await allowedSender()) ? { kind: "allow" } : { kind: "ignore", reason: "group sender not allowed" };
  }
  return (await allowedSender()) ? { kind: "allow" } : { kind: "pair" };
}

export function pairingCodeText(code: string): string {
  return [
    "Hi there! This assistant only responds to approved users.",
    "",
    `Your pairing code is: ${code}`,
    "",
    `To get access, ask the owner to approve this request: they send /pairing approve ${code} in a chat with this bot, or run npx nanobot pairing approve ${code}.`,
    "The code is valid for 10 minutes.",
  ].join("\n");
}

export const PAIRING_FULL_TEXT =
  "Hi there! This assistant only responds to approved users, and there are too many pending access requests right now. Please try again in 10 minutes.";
