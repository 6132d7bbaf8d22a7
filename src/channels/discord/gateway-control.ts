import { loadConfig } from "../../config/load-config.ts";
import type { GatewayState } from "../../bindings.ts";
import type { Env } from "../../env.ts";

/** The one Gateway object: a bot has one connection (no sharding below 2,500 servers). */
const GATEWAY_OBJECT = "main";

export type { GatewayState };

/**
 * Opens the Discord Gateway connection if `channels.discord.gateway` is on and it is not open (the heartbeat
 * cron, `npx nanobot channels register discord`); null when the Gateway is off or not bound. Never throws.
 */
export async function ensureDiscordGateway(env: Env): Promise<GatewayState | null> {
  const loaded = loadConfig(env);
  if (!loaded.ok || !env.DISCORD_GATEWAY) return null;
  const d = loaded.config.channels.discord;
  if (!d.enabled || !d.gateway) return null;
  try {
    return await env.DISCORD_GATEWAY.getByName(GATEWAY_OBJECT).ensure();
  } catch (err) {
    console.log(JSON.stringify({ event: "discord_gateway_error", error: String(err).slice(0, 200) }));
    return { state: "stopped", error: String((err as Error)?.message ?? err).slice(0, 200) };
  }
}

/** The connection's state without opening it (for `channels status`). */
export async function discordGatewayStatus(env: Env): Promise<GatewayState | null> {
  return env.DISCORD_GATEWAY ? env.DISCORD_GATEWAY.getByName(GATEWAY_OBJECT).status() : null;
}

export const gatewayObjectName = GATEWAY_OBJECT;
