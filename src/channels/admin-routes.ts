import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env.ts";
import { orIfUnreadable } from "../http/body-limit.ts";
import { normalizePairingCode } from "../pairing/pairing-code.ts";
import { notifyApproved } from "../pairing/pairing-command.ts";
import { PairingStore } from "../pairing/pairing-store.ts";
import { registerDiscordCommandsRoute } from "./discord/register-route.ts";
import { ALLOWED_UPDATES, telegramBot } from "./telegram/bot.ts";

const badRequest = (message: string) => new HTTPException(400, { res: Response.json({ error: { message, type: "invalid_request_error" } }, { status: 400 }) });

/**
 * Owner-only endpoints for the CLI (`npx nanobot channels status`, `pairing …`, `deploy`), behind the API key.
 * Secrets never leave: only whether they are set.
 */
export const adminRoutes = new Hono<AppEnv>()
  .get("/channels", async (c) => {
    const config = c.get("config");
    const channels = await Promise.all(
      c.get("channels").map(async (adapter) => {
        const section = (config.channels as unknown as Record<string, Record<string, unknown>>)[adapter.name] ?? {};
        const access = adapter.access(config);
        const base = {
          name: adapter.name,
          enabled: access !== null,
          webhook: `/webhooks/${adapter.name}`,
          allowFrom: access?.allowFrom ?? [],
          groupPolicy: access?.groupPolicy ?? null,
          apiRoot: section.apiRoot ?? null,
          secretsSet: Object.fromEntries(Object.entries(section).filter(([k]) => /token|secret|key$/i.test(k)).map(([k, v]) => [k, Boolean(v)])),
        };
        if (!access || !adapter.status) return base;
        try {
          return { ...base, ...(await adapter.status({ env: c.env, config })) };
        } catch (err) {
          return { ...base, statusError: String((err as Error)?.message ?? err).slice(0, 300) };
        }
      }),
    );
    return c.json({ channels });
  })
  .post("/channels/telegram/webhook", async (c) => {
    const config = c.get("config");
    const t = config.channels.telegram;
    if (!t.enabled || !t.token) throw badRequest("Telegram is not enabled: set channels.telegram.enabled and channels.telegram.token, then deploy again.");
    if (t.mode === "polling") throw badRequest('channels.telegram.mode is "polling": the bot is left to a local `npm start` poller and no webhook is registered. Set mode to "auto" or "webhook" to receive updates in the deployed Worker.');
    if (!t.webhookSecretToken) throw badRequest("Set channels.telegram.webhookSecretToken (1-256 characters A-Z a-z 0-9 _ -) before registering the webhook.");
    const body = (await c.req.json().catch(orIfUnreadable({}))) as { url?: string };
    const url = body.url ?? `${new URL(c.req.url).origin}/webhooks/telegram`;
    if (!/^https?:\/\//.test(url)) throw badRequest("url must be an http(s) URL.");
    const bot = await telegramBot(t);
    await bot.api.setWebhook(url, { secret_token: t.webhookSecretToken, allowed_updates: ALLOWED_UPDATES, max_connections: 40 });
    return c.json({ ok: true, url, bot: `@${bot.botInfo.username}` });
  })
  .post("/channels/discord/commands", registerDiscordCommandsRoute)
  .get("/pairing", async (c) => {
    const store = new PairingStore(c.env.DB);
    return c.json({ pending: await store.pending(), approved: await store.approved() });
  })
  .post("/pairing/:action{approve|deny}", async (c) => {
    const body = (await c.req.json().catch(orIfUnreadable({}))) as { code?: string };
    const code = normalizePairingCode(body.code ?? "");
    if (!code) throw badRequest("Send {\"code\": \"ABCD-EFGH\"}.");
    const store = new PairingStore(c.env.DB);
    const approve = c.req.param("action") === "approve";
    const request = approve ? await store.approve(code, "cli") : await store.deny(code);
    if (!request) return c.json({ error: { message: `No pending pairing request with code ${code} (codes expire after 10 minutes).`, type: "not_found" } }, 404);
    if (approve) await notifyApproved(c.get("outbounds"), c.env, c.get("config"), request);
    return c.json({ ok: true, action: c.req.param("action"), request });
  });
