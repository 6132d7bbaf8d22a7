import { probe } from "../probe.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "discord";
const PORTAL = "discord.com/developers/applications → your app";

/** The public key's shape, the bot token (`GET /users/@me`) and whether the commands are registered. */
export async function discordCheck(ctx: DoctorContext): Promise<Finding[]> {
  const d = ctx.config.channels.discord;
  if (!d.enabled) return [];
  const findings: Finding[] = [];
  if (!/^[0-9a-fA-F]{64}$/.test(d.publicKey.trim())) findings.push(finding(CHECK, "fail", "channels.discord.publicKey is not a 64-character hex key: every interaction is refused", `copy the Public Key from ${PORTAL} → General Information`));
  if (!d.applicationId) findings.push(finding(CHECK, "fail", "channels.discord.applicationId is empty", `copy the Application ID from ${PORTAL} → General Information`));
  if (!d.token) return [...findings, finding(CHECK, "fail", "channels.discord.token is empty", `set DISCORD_BOT_TOKEN (${PORTAL} → Bot → Reset Token)`)];
  const root = d.apiRoot.replace(/\/+$/, "");
  const headers = { authorization: `Bot ${d.token}` };
  const me = await probe(`${root}/users/@me`, { headers });
  if (!me.ok) return [...findings, finding(CHECK, "fail", `Discord API: ${me.reason}`, `check channels.discord.apiRoot (${d.apiRoot})`)];
  if (me.response.status === 401) return [...findings, finding(CHECK, "fail", "the bot token is wrong: Discord answered 401", `set DISCORD_BOT_TOKEN (${PORTAL} → Bot → Reset Token)`)];
  const bot = (await me.response.json().catch(() => ({}))) as { username?: string };
  findings.push(finding(CHECK, "ok", `bot token valid (@${bot.username ?? "?"})`));
  if (!d.applicationId) return findings;
  const commands = await probe(`${root}/applications/${encodeURIComponent(d.applicationId)}/commands`, { headers });
  const list = commands.ok && commands.response.ok ? ((await commands.response.json().catch(() => [])) as Array<{ name: string }>) : null;
  if (list === null) findings.push(finding(CHECK, "fail", "could not list the application's commands: applicationId does not belong to this bot token?", `check channels.discord.applicationId against ${PORTAL} → General Information`));
  else if (!list.some((c) => c.name === "ask")) findings.push(finding(CHECK, "warn", "the /ask command is not registered: users see no nanobot commands", "run npx nanobot channels register discord"));
  return findings;
}
