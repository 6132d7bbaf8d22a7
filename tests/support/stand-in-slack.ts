/**
 * A stand-in Slack Web API on 127.0.0.1: `POST /api/<method>` with `Authorization: Bearer xoxb-…`, answering
 * `{ok:true,…}` / `{ok:false,error}` like Slack (HTTP 200), 429 with `Retry-After` when a fault says so, and
 * recording every call. Private file downloads: `GET /files/<name>` (bot token required).
 * External file uploads: `POST /upload/<file_id>` (recorded as method "upload").
 * Test controls: `GET /__calls?channel=…&method=…`, `POST /__faults`, `POST /__files {name, base64, mimeType}`.
 */
import http from "node:http";
import { type Fault, hangUntilClosed, listen, parseParams, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_SLACK_BOT = { user_id: "UBOT", bot_id: "BBOT", team_id: "T1" };

export interface SlackCall {
  seq: number;
  method: string;
  authorization: string | undefined;
  params: Record<string, any>;
  at: number;
  /** HTTP status the stand-in answered with (0: a `hang` fault, never answered). */
  status: number;
}

export async function startStandInSlack(port = 0): Promise<RunningServer> {
  const calls: SlackCall[] = [];
  const faults: Fault[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  let seq = 0;
  let tsCounter = 0;
  /** files.getUploadURLExternal reservations, filled by the POST to their upload URL. */
  const uploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();

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
      const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
      if (upload && req.method === "POST") {
        // The URL files.getUploadURLExternal handed out: raw bytes or a multipart `file`, as Slack accepts both.
        const pending = uploads.get(upload[1]);
        if (!pending) return res.writeHead(404).end("unknown upload");
        const ct = String(req.headers["content-type"] ?? "");
        const form = ct.startsWith("multipart/form-data") ? await new Response(raw, { headers: { "content-type": ct } }).formData() : null;
        const part = form?.get("file");
        const bytes = part && typeof part !== "string" ? Buffer.from(await part.arrayBuffer()) : raw;
        pending.bytes = bytes;
        return res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${bytes.length}`);
      }
      const file = /^\/files\/(.+)$/.exec(url.pathname);
      if (file && req.method === "GET") {
        const found = files.get(decodeURIComponent(file[1]));
        // Slack answers an HTML login page (200) to unauthenticated file downloads; 403 is clearer here.
        if (!req.headers.authorization?.startsWith("Bearer xoxb-")) return res.writeHead(403).end("not authorised");
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (!api || req.method !== "POST") return sendJson(res, 404, { ok: false, error: "unknown_method" });
      const method = api[1];
      const params = parseParams(raw, req.headers["content-type"]);
      const call: SlackCall = { seq: ++seq, method, authorization: req.headers.authorization, params, at: Date.now(), status: 200 };
      calls.push(call);
      const auth = req.headers.authorization;
      if (!auth) return sendJson(res, 200, { ok: false, error: "not_authed" });
      if (!/^Bearer xoxb-/.test(auth)) return sendJson(res, 200, { ok: false, error: "invalid_auth" });
      const fault = takeFault(faults, method, params.channel, undefined, params.text);
      if (fault?.hang) {
        call.status = 0;
        return hangUntilClosed(res);
      }
      if (fault) call.status = fault.status;
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
        case "files.getUploadURLExternal": {
          if (String(req.headers["content-type"] ?? "").includes("application/json")) return sendJson(res, 200, { ok: false, error: "invalid_arguments" });
          if (!params.filename || !Number(params.length)) return sendJson(res, 200, { ok: false, error: "invalid_arguments" });
          const fileId = `F${Date.now().toString(36).toUpperCase()}${++tsCounter}`;
          uploads.set(fileId, { filename: String(params.filename), length: Number(params.length) });
          return sendJson(res, 200, { ok: true, upload_url: `http://${req.headers.host}/upload/${fileId}`, file_id: fileId });
        }
        case "files.completeUploadExternal": {
          const list = typeof params.files === "string" ? JSON.parse(params.files) : params.files;
          if (!Array.isArray(list) || !list.length) return sendJson(res, 200, { ok: false, error: "invalid_arguments" });
          const done = list.map((f: { id: string; title?: string }) => ({ ...f, upload: uploads.get(f.id) }));
          if (done.some((f: any) => !f.upload?.bytes || f.upload.bytes.length !== f.upload.length)) return sendJson(res, 200, { ok: false, error: "file_not_found" });
          // Recorded with the bytes so tests can compare what arrived.
          calls[calls.length - 1].params.uploaded = done.map((f: any) => ({ id: f.id, title: f.title, filename: f.upload.filename, base64: f.upload.bytes.toString("base64") }));
          calls[calls.length - 1].params.channel = params.channel_id;
          return sendJson(res, 200, { ok: true, files: done.map((f: any) => ({ id: f.id, title: f.title ?? f.upload.filename })) });
        }
        case "chat.update":
          return sendJson(res, 200, { ok: true, channel: params.channel, ts: params.ts, text: params.text });
        case "chat.delete":
          if (!params.channel || !params.ts) return sendJson(res, 200, { ok: false, error: "message_not_found" });
          return sendJson(res, 200, { ok: true, channel: params.channel, ts: params.ts });
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
