import { handleEmail } from "./channels/email/email-handler.ts";
import type { Env } from "./env.ts";
import { runScheduled } from "./scheduled.ts";
import { ensureDiscordGateway } from "./channels/discord/gateway-control.ts";
import { app } from "./wiring/worker.ts";

export { DiscordGatewayDO } from "../durable-objects/discord-gateway-do.ts";
export { RateLimiterDO } from "../durable-objects/rate-limiter-do.ts";
export { SandboxContainer } from "../durable-objects/sandbox-container.ts";
export { SessionDO } from "../durable-objects/session-do.ts";
export { WebSocketHubDO } from "../durable-objects/websocket-hub-do.ts";
export type { Env } from "./env.ts";

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller.cron, env));
    ctx.waitUntil(ensureDiscordGateway(env));
  },
  email: (message, env) => handleEmail(message, env),
} satisfies ExportedHandler<Env>;
