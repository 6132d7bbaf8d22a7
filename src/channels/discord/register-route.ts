import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env.ts";
import { discordCommands } from "./commands.ts";
import { DiscordApiError, discordApi } from "./discord-api.ts";
import { ensureDiscordGateway } from "./gateway-control.ts";

const fail = (status: 400 | 502, message: string) => new HTTPException(status, { res: Response.json({ error: { message, type: status === 400 ? "invalid_request_error" : "upstream_error" } }, { status }) });

/**
 * `POST /admin/channels/discord/commands` (for `npx nanobot channels register discord`): replaces the
 * application's global commands with nanobot's in one bulk overwrite (PUT /applications/{id}/commands), so
 * running it again changes nothing. With `channels.discord.gateway` on it also opens the Gateway connection.
 */
export async function registerDiscordCommandsRoute(c: Context<AppEnv>): Promise<Response> {
  const d = c.get("config").channels.discord;
  if (!d.enabled) throw fail(400, "Discord is not enabled: set channels.discord.enabled, applicationId, publicKey and token, then run this again.");
  if (!d.applicationId || !d.token) throw fail(400, `Set ${!d.applicationId ? "channels.discord.applicationId" : "channels.discord.token (DISCORD_BOT_TOKEN)"} before registering commands.`);
  try {
    const registered = await discordApi<Array<{ name: string; type: number }>>(d, "PUT", `/applications/${encodeURIComponent(d.applicationId)}/commands`, discordCommands(), { bot: true });
    const gateway = await ensureDiscordGateway(c.env);
    return c.json({ ok: true, commands: registered.map((cmd) => ({ name: cmd.name, type: cmd.type })), ...(gateway ? { gateway } : {}) });
  } catch (err) {
    if (err instanceof DiscordApiError) {
      const hint = err.status === 401 ? " (channels.discord.token is wrong)" : err.status === 403 || err.code === 50001 ? " (channels.discord.applicationId does not belong to this bot token)" : "";
      throw fail(502, `${err.message}${hint}`);
    }
    throw err;
  }
}
