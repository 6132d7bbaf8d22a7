import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { receiveInbound } from "./inbound-pipeline.ts";
import type { WebhookInput } from "./types.ts";

const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/**
 * `POST /webhooks/:channel`: verify, then the shared inbound pipeline (src/channels/inbound-pipeline.ts).
 * Verification is the only webhook-specific step: a caller must prove it is the platform, whereas a polled
 * update comes from the platform's API itself. The answer goes back as soon as the session has stored the
 * message; the turn runs in its alarm, so the platform never waits for the model (Slack gives up after 3 s).
 */
export const webhookRoutes = new Hono<AppEnv>()
  .get("/:channel", async (c) => {
    const adapter = c.get("channels").find((a) => a.name === c.req.param("channel"));
    if (!adapter?.access(c.get("config"))) return notEnabled(c.req.param("channel"));
    if (!adapter.handshake) return Response.json({ ok: false, error: `GET is not used by ${adapter.name}: the platform posts its events` }, { status: 405, headers: { allow: "POST" } });
    return adapter.handshake({ request: c.req.raw, env: c.env, config: c.get("config") });
  })
  .post("/:channel", async (c) => {
    const adapter = c.get("channels").find((a) => a.name === c.req.param("channel"));
    const config = c.get("config");
    const access = adapter?.access(config);
    if (!adapter || !access) return notEnabled(c.req.param("channel"));
    const input: WebhookInput = { request: c.req.raw, rawBody: await c.req.text(), env: c.env, config };
    if (!(await adapter.verify(input))) {
      log({ event: "webhook_rejected", channel: adapter.name });
      return c.json({ ok: false, error: "invalid signature" }, 401);
    }
    // Platforms that batch messages (WhatsApp) are split so each message is deduplicated and answered on its own.
    const bodies = adapter.split?.(input) ?? [input.rawBody];
    for (const rawBody of bodies.slice(0, -1)) await receiveInbound(adapter, { ...input, rawBody }, access);
    const result = await receiveInbound(adapter, { ...input, rawBody: bodies[bodies.length - 1] }, access);
    return result.kind === "respond" ? result.response : (adapter.webhookAnswer?.(result.status) ?? new Response("ok", { status: 200 }));
  });

const notEnabled = (name: string) => Response.json({ ok: false, error: `Channel '${name}' is not enabled. Set channels.${name}.enabled in the config.` }, { status: 404 });
