/**
 * A stand-in Discord REST API (v10) on 127.0.0.1, under `/api/v10` like discord.com: application commands
 * (`PUT`/`GET /applications/{id}/commands`, bot token), `GET /users/@me`, interaction webhooks
 * (`PATCH /webhooks/{app}/{token}/messages/@original`, `POST /webhooks/{app}/{token}`: no auth, the token is the
 * credential; an expired token → 401 code 50027), `POST /channels/{id}/messages` (bot token). Message bodies are
 * JSON or multipart (`payload_json` + `files[n]`); content over 2,000 characters → 400 code 50035, as Discord.
 * Attachments for inbound interactions: `GET /attachments/<name>` (the CDN).
 * The Gateway WebSocket: tests/support/stand-in-discord-gateway.ts (`GET /gateway/bot` names it).
 * Test controls: `GET /__calls?token=…|channel=…`, `POST /__expire {token}`, `POST /__files {name, base64, mimeType}`,
 * `POST /__faults` (method "edit-original" | "follow-up", chat = the interaction token, textIncludes; a 429 carries
 * `retry_after` and Retry-After as Discord does).
 */
import http from "node:http";
import { attachGateway } from "./stand-in-discord-gateway.ts";
import { type Fault, listen, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_DISCORD = { applicationId: "1100000000000000001", botToken: "discord-bot-token", botId: "1100000000000000009", username: "nanobot" };

export interface DiscordCall {
  seq: number;
  method: string;
  /** "edit-original", "follow-up", "channel-message", "commands". */
  kind: string;
  token?: string;
  channel?: string;
  status: number;
  body: Record<string, any>;
  files: Array<{ filename: string; contentType: string; base64: string }>;
  at: number;
}

const CHAT_INPUT_NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

export async function startStandInDiscord(port = 0): Promise<RunningServer> {
  const calls: DiscordCall[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const expired = new Set<string>();
  const faults: Fault[] = [];
  /** Registered commands per application id (any id is accepted, so a test can start from none). */
  const commands = new Map<string, Array<Record<string, any>>>();
  let seq = 0;
  let ids = 0;

  let gateway: ReturnType<typeof attachGateway> | null = null;
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (gateway?.control(req, res, raw)) return;
      if (url.pathname === "/__calls") {
        const token = url.searchParams.get("token");
        const channel = url.searchParams.get("channel");
        return sendJson(res, 200, calls.filter((c) => (!token || c.token === token) && (!channel || c.channel === channel)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__expire" && req.method === "POST") {
        expired.add(JSON.parse(raw.toString()).token);
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { name, base64, mimeType } = JSON.parse(raw.toString());
        files.set(name, { bytes: Buffer.from(base64, "base64"), mimeType });
        return res.writeHead(204).end();
      }
      const cdn = /^\/attachments\/(.+)$/.exec(url.pathname);
      if (cdn && req.method === "GET") {
        const found = files.get(decodeURIComponent(cdn[1]));
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      const path = url.pathname.replace(/^\/api\/v10/, "");
      if (path === url.pathname) return sendJson(res, 404, { message: "404: Not Found", code: 0 });
      const ct = String(req.headers["content-type"] ?? "");
      let body: Record<string, any> = {};
      const attached: DiscordCall["files"] = [];
      if (ct.startsWith("multipart/form-data")) {
        const form = await new Response(raw, { headers: { "content-type": ct } }).formData();
        body = JSON.parse(String(form.get("payload_json") ?? "{}"));
        for (const [name, value] of form) {
          if (name.startsWith("files[") && typeof value !== "string") attached.push({ filename: value.name, contentType: value.type, base64: Buffer.from(await value.arrayBuffer()).toString("base64") });
        }
      } else if (raw.length) body = JSON.parse(raw.toString());
      const botAuthed = req.headers.authorization === `Bot ${STAND_IN_DISCORD.botToken}`;
      const record = (kind: string, status: number, extra: Partial<DiscordCall>) => calls.push({ seq: ++seq, method: req.method ?? "GET", kind, status, body, files: attached, at: Date.now(), ...extra });
      const tooLong = typeof body.content === "string" && body.content.length > 2000;
      const invalid = () => sendJson(res, 400, { message: "Invalid Form Body", code: 50035, errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message: "Must be 2000 or fewer in length." }] } } });
      const message = (extra: Record<string, unknown>) => sendJson(res, 200, { id: String(++ids), type: 0, content: body.content ?? "", author: { id: STAND_IN_DISCORD.botId, username: STAND_IN_DISCORD.username, bot: true }, attachments: attached.map((f, i) => ({ id: String(i), filename: f.filename })), ...extra });

      const hook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
      if (hook) {
        const [, app, token, original] = hook;
        const kind = original ? "edit-original" : "follow-up";
        if (app !== STAND_IN_DISCORD.applicationId) return sendJson(res, 404, { message: "Unknown Webhook", code: 10015 });
        if (expired.has(token)) {
          record(kind, 401, { token });
          return sendJson(res, 401, { message: "Invalid Webhook Token", code: 50027 });
        }
        if ((original && req.method !== "PATCH") || (!original && req.method !== "POST")) return sendJson(res, 405, { message: "405: Method Not Allowed", code: 0 });
        if (tooLong) {
          record(kind, 400, { token });
          return invalid();
        }
        const fault = takeFault(faults, kind, token, undefined, body.content);
        if (fault) {
          record(kind, fault.status, { token });
          if (fault.status !== 429) return sendJson(res, fault.status, { message: fault.description ?? "fault", code: 0 });
          const retryAfter = fault.retryAfter ?? 1;
          return sendJson(res, 429, { message: "You are being rate limited.", retry_after: retryAfter, global: false }, { "retry-after": String(Math.ceil(retryAfter)) });
        }
        record(kind, 200, { token });
        return message({ webhook_id: app });
      }
      if (!botAuthed) return sendJson(res, 401, { message: "401: Unauthorized", code: 0 });
      if (path === "/gateway/bot" && req.method === "GET") {
        return sendJson(res, 200, { url: `ws://${req.headers.host}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } });
      }
      if (path === "/users/@me" && req.method === "GET") return sendJson(res, 200, { id: STAND_IN_DISCORD.botId, username: STAND_IN_DISCORD.username, bot: true });
      const commandsRoute = /^\/applications\/(\d+)\/commands$/.exec(path);
      if (commandsRoute) {
        if (req.method === "GET") return sendJson(res, 200, commands.get(commandsRoute[1]) ?? []);
        if (req.method !== "PUT" || !Array.isArray(body)) return sendJson(res, 400, { message: "Invalid Form Body", code: 50035 });
        const list = body as Array<Record<string, any>>;
        const bad = list.find((c) => ((c.type ?? 1) === 1 ? !CHAT_INPUT_NAME.test(c.name) || !c.description || c.description.length > 100 : !c.name || c.name.length > 32 || c.description));
        if (bad) {
          record("commands", 400, {});
          return sendJson(res, 400, { message: "Invalid Form Body", code: 50035, errors: { name: bad.name } });
        }
        const created = list.map((c) => ({ id: String(++ids), application_id: commandsRoute[1], version: "1", default_member_permissions: null, type: 1, description: "", ...c }));
        commands.set(commandsRoute[1], created);
        calls.push({ seq: ++seq, method: "PUT", kind: "commands", status: 200, body: { commands: list }, files: [], at: Date.now() });
        return sendJson(res, 200, created);
      }
      const channelRoute = /^\/channels\/(\d+)\/messages$/.exec(path);
      if (channelRoute && req.method === "POST") {
        if (tooLong || (!body.content && !attached.length)) {
          record("channel-message", 400, { channel: channelRoute[1] });
          return invalid();
        }
        record("channel-message", 200, { channel: channelRoute[1] });
        return message({ channel_id: channelRoute[1] });
      }
      return sendJson(res, 404, { message: "404: Not Found", code: 0 });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { message: String(err), code: 0 });
    }
  });
  gateway = attachGateway(server, { botToken: STAND_IN_DISCORD.botToken, botId: STAND_IN_DISCORD.botId, username: STAND_IN_DISCORD.username });
  const running = await listen(server, port);
  return {
    url: running.url,
    close: async () => {
      gateway?.close();
      await running.close();
    },
  };
}
