import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { storeMedia } from "../api/request-media.ts";
import type { AppEnv } from "../app-env.ts";
import { workspaceIdFor } from "../session/workspace-id.ts";
import { CLIENT_ID_PATTERN } from "./protocol.ts";

const fail = (status: 400 | 401 | 426, message: string, code: string) =>
  new HTTPException(status, { res: Response.json({ error: { message, type: status === 401 ? "authentication_error" : "invalid_request_error", code } }, { status }) });

function clientIdOf(value: string | undefined, required: boolean): string {
  if (!value) {
    if (required) throw fail(400, "Missing client_id query parameter.", "missing_client_id");
    return `anon-${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  }
  if (!CLIENT_ID_PATTERN.test(value)) throw fail(400, "client_id must match ^[A-Za-z0-9_-]{1,128}$.", "invalid_client_id");
  return value;
}

/**
 * Behind the API key (app.ts): `GET /webui/token` issues a single-use connect token, so the key itself never
 * sits in a WebSocket URL; `POST /webui/upload` stores a file in R2 for a later `message` frame.
 */
export const webuiRoutes = new Hono<AppEnv>()
  .get("/token", async (c) => {
    const clientId = clientIdOf(c.req.query("client_id"), false);
    return c.env.WEBSOCKETS.getByName(clientId).fetch("https://hub/token", { method: "POST", headers: { "x-client-id": clientId } });
  })
  // How often the client's hub ran code (constructor runs, socket messages): the hibernation benchmark reads it.
  .get("/stats", async (c) => {
    const clientId = clientIdOf(c.req.query("client_id"), true);
    return c.env.WEBSOCKETS.getByName(clientId).fetch("https://hub/counters");
  })
  .post("/upload", async (c) => {
    const clientId = clientIdOf(c.req.query("client_id"), true);
    const form = await c.req.formData().catch(() => null);
    const file = form?.get("file");
    if (!file || typeof file === "string") throw fail(400, "Send multipart/form-data with a `file` field.", "missing_file");
    const workspaceId = workspaceIdFor(c.get("config"), { channel: "websocket", senderId: clientId });
    const ref = await storeMedia(c.env.WORKSPACE, workspaceId, await file.arrayBuffer(), file.type || "application/octet-stream", file.name);
    return c.json(ref);
  });

/** `GET /ws?client_id=…&token=…`: the client's hub checks the token, then accepts the upgrade. */
export const wsRoute = new Hono<AppEnv>().get("/", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw fail(426, "Expected a WebSocket upgrade (Upgrade: websocket).", "upgrade_required");
  const token = c.req.query("token");
  if (!token) throw fail(401, "Missing token. Get one from GET /webui/token with the API key.", "missing_token");
  const clientId = clientIdOf(c.req.query("client_id"), true);
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-client-id", clientId);
  return c.env.WEBSOCKETS.getByName(clientId).fetch(`https://hub/connect?token=${encodeURIComponent(token)}`, { headers });
});
