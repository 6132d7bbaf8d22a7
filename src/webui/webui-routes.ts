import { Hono } from "hono";
import { storeMedia } from "../api/request-media.ts";
import type { AppEnv } from "../app-env.ts";
import { workspaceIdFor } from "../session-protocol/workspace-id.ts";
import { clientIdOf, issueToken, wsFail } from "./websocket-endpoints.ts";

/**
 * Behind the API key (app.ts): `GET /webui/token` issues a single-use connect token, so the key itself never
 * sits in a WebSocket URL; `POST /webui/upload` stores a file in R2 for a later `message` frame.
 */
export const webuiRoutes = new Hono<AppEnv>()
  .get("/token", async (c) => {
    const given = c.req.query("client_id");
    return issueToken(c, given ? clientIdOf(given, true) : undefined);
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
    if (!file || typeof file === "string") throw wsFail(400, "Send multipart/form-data with a `file` field.", "missing_file");
    const workspaceId = workspaceIdFor(c.get("config"), { channel: "websocket", senderId: clientId });
    const ref = await storeMedia(c.env.WORKSPACE, workspaceId, await file.arrayBuffer(), file.type || "application/octet-stream", file.name);
    return c.json(ref);
  });
