import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import { TOKEN_STORE, type ConnectAuth } from "../../durable-objects/websocket-hub/hub-names.ts";
import type { AppEnv } from "../app-env.ts";
import { matchesSecret } from "../security/timing-safe-equal.ts";
import { CLIENT_ID_PATTERN } from "./protocol.ts";

export const wsFail = (status: 400 | 401 | 403 | 426, message: string, code: string) =>
  new HTTPException(status, {
    res: Response.json({ error: { message, type: status === 401 ? "authentication_error" : status === 403 ? "permission_error" : "invalid_request_error", code } }, { status }),
  });

/** nanobot assigns `anon-<12 hex>` to a connection without `client_id`; ours must fit session keys (no ":"). */
export function clientIdOf(value: string | undefined, required: boolean): string {
  if (!value) {
    if (required) throw wsFail(400, "Missing client_id query parameter.", "missing_client_id");
    return `anon-${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  }
  if (!CLIENT_ID_PATTERN.test(value)) throw wsFail(400, "client_id must match ^[A-Za-z0-9_-]{1,128}$.", "invalid_client_id");
  return value;
}

/** `{token, expires_in, ws_path}`: bound to `clientId` when given (GET /webui/token?client_id=), else usable by any. */
export async function issueToken(c: Context<AppEnv>, clientId: string | undefined): Promise<Response> {
  const hub = c.env.WEBSOCKETS.getByName(clientId ?? TOKEN_STORE);
  const res = await hub.fetch("https://hub/token", { method: "POST", headers: clientId ? { "x-client-id": clientId } : {} });
  const body = (await res.json()) as Record<string, unknown>;
  const extra = res.ok ? { ws_path: c.get("config").channels.websocket.path } : {};
  return Response.json({ ...body, ...extra }, { status: res.status, headers: { "cache-control": "no-store" } });
}

/** nanobot's issue route accepts `Authorization: Bearer <secret>` or `X-Nanobot-Auth: <secret>`. */
async function issueSecretMatches(c: Context<AppEnv>, secret: string): Promise<boolean> {
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization")?.trim() ?? "")?.[1]?.trim();
  const header = c.req.header("x-nanobot-auth")?.trim();
  for (const given of [bearer, header]) if (given && (await matchesSecret(given, secret))) return true;
  return false;
}

/**
 * nanobot's two WebSocket endpoints at their configured paths (`channels.websocket.path`, default "/ws",
 * and `channels.websocket.tokenIssuePath`), matched before the fixed routes.
 */
export const websocketEndpoints = createMiddleware<AppEnv>(async (c, next) => {
  const ws = c.get("config").channels.websocket;
  const path = c.req.path.length > 1 ? c.req.path.replace(/\/+$/, "") : c.req.path;
  const issuing = path === ws.tokenIssuePath || path === BOOTSTRAP_PATH;
  if (!ws.enabled || (path !== ws.path && !issuing) || c.req.method !== "GET") return next();
  if (!issuing) return upgrade(c);
  // A Worker is on the public internet, so an empty tokenIssueSecret falls back to `token`, then api.apiKey
  // (nanobot would issue tokens to anyone, and bootstrap to any local browser).
  const secret = ws.tokenIssueSecret || ws.token || c.get("config").api.apiKey;
  if (!secret) throw wsFail(403, "Token issuing is closed: set channels.websocket.tokenIssueSecret (or api.apiKey).", "token_issue_disabled");
  if (!(await issueSecretMatches(c, secret))) throw wsFail(401, "Send the channels.websocket.tokenIssueSecret as `Authorization: Bearer <secret>` or `X-Nanobot-Auth: <secret>`.", "invalid_issue_secret");
  const issued = await issueToken(c, undefined);
  if (path !== BOOTSTRAP_PATH || !issued.ok) return issued;
  // nanobot's bootstrap adds where to connect and the default model (no REST api_token: nanobot's /api/* is not here).
  const url = new URL(c.req.url);
  const wsUrl = `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}${ws.path}`;
  const body = { ...((await issued.json()) as object), ws_url: wsUrl, model_name: c.get("config").agents.defaults.model };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
});

/** nanobot's embedded-WebUI bootstrap route (answered before the API-key check on /webui/*: it has its own). */
const BOOTSTRAP_PATH = "/webui/bootstrap";

async function upgrade(c: Context<AppEnv>): Promise<Response> {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") throw wsFail(426, "Expected a WebSocket upgrade (Upgrade: websocket).", "upgrade_required");
  const ws = c.get("config").channels.websocket;
  const given = c.req.query("client_id")?.trim() ?? "";
  // nanobot checks allowFrom against the client_id as given (empty when omitted) before anything else.
  if (!ws.allowFrom.includes("*") && !ws.allowFrom.includes(given)) throw wsFail(403, `client_id "${given}" is not in channels.websocket.allowFrom.`, "client_not_allowed");
  const clientId = clientIdOf(given, false);
  const token = c.req.query("token") ?? "";
  let auth: ConnectAuth = "issued";
  if (ws.token && token && (await matchesSecret(token, ws.token))) auth = "static";
  else if (!ws.token && !ws.websocketRequiresToken) auth = "none";
  else if (!token) throw wsFail(401, "Missing token. Get one from GET /webui/token with the API key, or from channels.websocket.tokenIssuePath.", "missing_token");
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-client-id", clientId);
  const url = `https://hub/connect?auth=${auth}&streaming=${ws.streaming ? 1 : 0}&token=${encodeURIComponent(token)}`;
  return c.env.WEBSOCKETS.getByName(clientId).fetch(url, { headers });
}
