/** Test-side helpers for Discord: interactions signed like Discord signs them, stand-in recordings out. */
import { SELF } from "cloudflare:test";
import { keyPairFromSeed, signHex } from "../../src/channels/ed25519.ts";
import { standIns } from "./llm-script.ts";
import { STAND_IN_DISCORD, type DiscordCall } from "./stand-in-discord.ts";

export type { DiscordCall };

/** The application key the test config's channels.discord.publicKey belongs to. */
const SEED = new TextEncoder().encode("nanobot-discord-stand-in-seed-01");

export const ALLOWED_DISCORD_USER = "200000000000000001";

/** Discord snowflakes: numeric strings no other test uses. */
export const snowflake = () => String(BigInt(Date.now() - 1420070400000) * 4194304n + BigInt(Math.floor(Math.random() * 4194304)));

interface InteractionOptions {
  channelId?: string;
  guildId?: string;
  userId?: string;
  username?: string;
}

function base(o: InteractionOptions) {
  const user = { id: o.userId ?? ALLOWED_DISCORD_USER, username: o.username ?? "alice", global_name: "Alice", discriminator: "0", avatar: null };
  const channelId = o.channelId ?? snowflake();
  return {
    id: snowflake(),
    application_id: STAND_IN_DISCORD.applicationId,
    token: `aW50ZXJhY3Rpb246${snowflake()}:${crypto.randomUUID()}`,
    version: 1,
    channel_id: channelId,
    channel: { id: channelId, type: o.guildId ? 0 : 1 },
    locale: "en-US",
    app_permissions: "2248473465835073",
    entitlements: [],
    authorizing_integration_owners: { "0": o.guildId ?? "0" },
    ...(o.guildId ? { guild_id: o.guildId, context: 0, member: { user, roles: [], permissions: "2248473465835073", nick: null, joined_at: new Date().toISOString() } } : { context: 1, user }),
  };
}

export function slashCommand(name: string, options: Array<{ name: string; type: number; value: unknown }> = [], o: InteractionOptions & { attachments?: Record<string, unknown> } = {}) {
  return { ...base(o), type: 2, data: { id: snowflake(), name, type: 1, options, ...(o.attachments ? { resolved: { attachments: o.attachments } } : {}) } };
}

export const askCommand = (prompt: string, o: InteractionOptions = {}) => slashCommand("ask", [{ name: "prompt", type: 3, value: prompt }], o);

export function messageCommand(target: { content: string; attachments?: unknown[] }, o: InteractionOptions = {}) {
  const targetId = snowflake();
  const message = { id: targetId, type: 0, content: target.content, channel_id: o.channelId, author: { id: snowflake(), username: "bob" }, attachments: target.attachments ?? [], embeds: [], mentions: [], timestamp: new Date().toISOString() };
  return { ...base(o), type: 2, data: { id: snowflake(), name: "Ask nanobot", type: 3, target_id: targetId, resolved: { messages: { [targetId]: message } } } };
}

export async function postDiscord(body: unknown, opts: { timestamp?: number; signature?: string; seed?: Uint8Array } = {}): Promise<Response> {
  const raw = JSON.stringify(body);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = opts.signature ?? (await signHex((await keyPairFromSeed(opts.seed ?? SEED)).privateKey, `${timestamp}${raw}`));
  return SELF.fetch("https://gateway.test/webhooks/discord", {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Discord-Interactions/1.0 (+https://discord.com)", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp },
    body: raw,
  });
}

const root = () => standIns().discord.replace(/\/api\/v10$/, "");

export async function discordCalls(filter: { token?: string; channel?: string }): Promise<DiscordCall[]> {
  return (await fetch(`${root()}/__calls?${new URLSearchParams(filter as Record<string, string>)}`)).json();
}

export const okCalls = async (filter: { token?: string; channel?: string }) => (await discordCalls(filter)).filter((c) => c.status === 200);

export async function expireInteraction(token: string): Promise<void> {
  await fetch(`${root()}/__expire`, { method: "POST", body: JSON.stringify({ token }) });
}

export async function discordFile(name: string, bytes: Uint8Array, mimeType: string): Promise<string> {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  await fetch(`${root()}/__files`, { method: "POST", body: JSON.stringify({ name, base64: btoa(binary), mimeType }) });
  return `${root()}/attachments/${encodeURIComponent(name)}`;
}
