/**
 * A stand-in Slack Web API on 127.0.0.1: `POST /api/<method>` with `Authorization: Bearer xoxb-…`, answering
 * `{ok:true,…}` / `{ok:false,error}` like Slack (HTTP 200), 429 with `Retry-After` when a fault says so, and
 * recording every call. Private file downloads: `GET /files/<name>` (bot token required).
 * External file uploads: `POST /upload/<file_id>` (recorded as method "upload").
 * Test controls: `GET /__calls?channel=…&method=…`, `POST /__faults`, `POST /__files {name, base64, mimeType}`.
 */
import http from "node:http";
import { type Fault, listen, parseParams, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_SLACK_BOT = { user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };

export interface SlackCall {
  seq: number;
  method: string;
  authorization: string | undefined;
  params: Record<string, any>;
  at: number;
}

export async function startStandInSlack(port = 0): Promise<RunningServer> {
  const calls: SlackCall[] = [];
  const faults: Fault[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  /** External uploads (files.getUploadURLExternal → POST /upload/<id> → files.completeUploadExternal). */
  const uploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  let seq = 0;
  let tsCounter = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const channel = url.searchParams.get("channel");
        const method = url.searchParams.get("method");
        return sendJson(res, 200, calls.filter((c) => (!channel || (c.params.channel ?? c.params.channel_id) === channel) && (!method || c.method === method)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { name, base64, mimeType } = JSON.parse(raw.toString());
        files.set(name, { bytes: Buffer.from(base64, "base64"), mimeType });
        return res.writeHead(204).end();
      }
      const file = /^\/files\/(.+)$/.exec(url.pathname);
      if (file && req.method === "GET") {
        const found = files.get(decodeURIComponent(file[1]));
        // Slack answers an HTML login page (200) to unauthenticated file downloads; 403 is clearer here.
        if (!req.headers.authorization?.startsWith("Bearer xoxb-")) return res.writeHead(403).end("not authorised");
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      const upload = /^\/upload\/(\w+)$/.exec(url.pathname);
      if (upload && req.method === "POST") {
        const pending = uploads.get(upload[1]);
        if (!pending) return res.writeHead(404).end("unknown upload");
        if (raw.length !== pending.length) return res.writeHead(400).end(`expected ${pending.length} bytes, got ${raw.length}`);
        pending.bytes = raw;
        calls.push({ seq: ++seq, method: "upload", authorization: req.headers.authorization, params: { file_id: upload[1], filename: pending.filename, size: raw.length, contentType: req.headers["content-type"] }, at: Date.now() });
        return res.writeHead(200).end("OK - " + raw.length);
      }
      const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!api || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "unknown_method" });
      const method = api[1];
      const params = parseParams(raw, req.headers["content-type"]);
      calls.push({ seq: ++seq, method, authorization: req.headers.authorization, params, at: Date.now() });
      const auth = req.headers.authorization;
      if (!auth) return sendJson(res, 200, { ok: false, error: "not_authed" });
      if (!/^Bearer xoxb-/.test(auth)) return sendJson(res, 200, { ok: false, error: "invalid_auth" });
      const fault = takeFault(faults, method, params.channel);
      if (fault) {
        if (fault.status === 429) return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfter ?? 1) });
        return sendJson(res, fault.status, { ok: false, error: fault.description ?? "internal_error" });
      }
      switch (method) {
        case "auth.test":
          return sendJson(res, 200, { ok: true, url: "https://standin.slack.com/", team: "Stand-in", user: "nanobot", ...STAND_IN_SLACK_BOT });
        case "chat.postMessage": {
          if (!params.channel) return sendJson(res, 200, { ok: false, error: "channel_not_found" });
          if (!params.text) return sendJson(res, 200, { ok: false, error: "no_text" });
          if (String(params.text).length > 40_000) return sendJson(res, 200, { ok: false, error: "msg_too_long" });
          const ts = `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, "0")}`;
          return sendJson(res, 200, { ok: true, channel: params.channel, ts, message: { type: "message", text: params.text, user: STAND_IN_SLACK_BOT.user_id, ts, ...(params.thread_ts ? { thread_ts: params.thread_ts } : {}) } });
        }
        case "chat.update":
          return sendJson(res, 200, { ok: true, channel: params.channel, ts: params.ts, text: params.text });
        case "chat.delete":
          if (!params.channel || !params.ts) return sendJson(res, 200, { ok: false, error: "message_not_found" });
          return sendJson(res, 200, { ok: true, channel: params.channel, ts: params.ts });
        case "files.getUploadURLExternal": {
          if (!params.filename || !Number(params.length)) return sendJson(res, 200, { ok: false, error: "invalid_arguments" });
          const fileId = `F${++tsCounter}`;
          uploads.set(fileId, { filename: String(params.filename), length: Number(params.length) });
          return sendJson(res, 200, { ok: true, upload_url: `http://${req.headers.host}/upload/${fileId}`, file_id: fileId });
        }
        case "files.completeUploadExternal": {
          const files = (Array.isArray(params.files) ? params.files : []) as Array<{ id: string; title?: string }>;
          if (!files.length || files.some((f) => !uploads.get(f.id)?.bytes)) return sendJson(res, 200, { ok: false, error: "file_not_found" });
          return sendJson(res, 200, { ok: true, files: files.map((f) => ({ id: f.id, name: uploads.get(f.id)!.filename, size: uploads.get(f.id)!.bytes!.length })) });
        }
        case "reactions.add":
        case "reactions.remove":
          if (!params.timestamp || !params.name) return sendJson(res, 200, { ok: false, error: "invalid_arguments" });
          return sendJson(res, 200, { ok: true });
        default:
          return sendJson(res, 200, { ok: false, error: "unknown_method" });
      }
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(err) });
    }
  });
  return listen(server, port);
}
