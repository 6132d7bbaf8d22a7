import { z } from "zod";

const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

/** Discord through the interactions endpoint (slash commands and the "Ask nanobot" message command). */
export const discordConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Application ID (discord.com/developers → your app → General Information). */
  applicationId: z.string().default(""),
  /** Public Key from the same page (64 hex characters): verifies every interaction. */
  publicKey: z.string().default(""),
  /** Bot token (→ Bot → Reset Token): registers the commands and posts pairing codes and proactive messages. */
  token: z.string().default(""),
  /** User ids let in; "*" = everybody. */
  allowFrom,
  /** Server channels: "mention"/"open" answer allowed users (a command is always addressed to the bot); "allowlist" answers in groupAllowFrom only. */
  groupPolicy: z.enum(["mention", "open", "allowlist"]).default("mention"),
  /** Server (guild) or channel ids served under `groupPolicy: "allowlist"`. */
  groupAllowFrom: allowFrom,
  apiRoot: z.string().default("https://discord.com/api/v10"),
  /**
   * Plain messages (DMs, and server messages that mention the bot) over Discord's Gateway socket, held open by
   * one Durable Object (it stays awake while connected: see README "Discord"). Off: slash commands only.
   */
  gateway: z.boolean().default(false),
});

export type DiscordConfig = z.infer<typeof discordConfigSchema>;
