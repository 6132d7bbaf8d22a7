import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { bearerAuth } from "./api/bearer-auth.ts";
import { chatCompletionsRoute } from "./api/chat-completions-route.ts";
import { configMiddleware } from "./api/config-middleware.ts";
import { cronRoute } from "./api/cron-route.ts";
import { triggersRoute } from "./api/triggers-route.ts";
import { modelsRoute } from "./api/models-route.ts";
import { responsesRoute } from "./api/responses-route.ts";
import type { AppEnv, WorkerWiring } from "./app-env.ts";
import { adminRoutes } from "./channels/admin-routes.ts";
import { telegramPollRoute } from "./channels/telegram/poll-route.ts";
import { doctorRoute } from "./doctor/doctor-route.ts";
import { bodyLimit } from "./http/body-limit.ts";
import { webhookRoutes } from "./channels/webhook-route.ts";
import { webuiRoutes } from "./webui/webui-routes.ts";
import { websocketEndpoints } from "./webui/websocket-endpoints.ts";

/** The Worker's routes; `wiring` (src/wiring/worker.ts) says which channels exist and where replies go. */
export function createApp(wiring: WorkerWiring): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("channels", wiring.channels);
    c.set("outbounds", wiring.outbounds);
    await next();
  });
  routeApp(app);
  return app;
}

function routeApp(app: Hono<AppEnv>): void {
  app.use("*", bodyLimit); // every route's body is capped while it streams in (limits.*, api.maxBodyBytes)
  app.route("/admin/doctor", doctorRoute); // before the config middleware: it must diagnose an invalid config
  app.use("*", configMiddleware);
  app.use("*", websocketEndpoints); // nanobot's WebSocket and token paths are configurable (channels.websocket)

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.route("/webhooks", webhookRoutes);
  app.route("/local/telegram", telegramPollRoute);
  app.use("/admin/*", bearerAuth);
  app.route("/admin", adminRoutes);

  app.use("/v1/*", bearerAuth);
  app.route("/v1/models", modelsRoute);
  app.route("/v1/chat/completions", chatCompletionsRoute);
  app.route("/v1/responses", responsesRoute);
  app.use("/api/*", bearerAuth);
  app.route("/api/cron", cronRoute);
  app.route("/triggers", triggersRoute);
  app.use("/webui/*", bearerAuth);
  app.route("/webui", webuiRoutes);
  // Normally the assets layer answers "/" before the Worker runs; this covers requests routed to the Worker.
  app.get("/", (c) => (c.env.ASSETS ? c.env.ASSETS.fetch(c.req.raw) : c.text("The WebUI is not built: run `npm run build:webui`.", 503)));

  app.notFound((c) => c.json({ error: { message: `No route for ${c.req.method} ${c.req.path}`, type: "invalid_request_error", code: "not_found" } }, 404));

  // The single place errors become responses: expected ones carry their own response, anything else is
  // logged and answered without internals.
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    console.log(JSON.stringify({ event: "unhandled_error", path: c.req.path, error: String(err?.message ?? err).slice(0, 300) }));
    return c.json({ error: { message: "Internal server error", type: "server_error", code: "internal_error" } }, 500);
  });
}
