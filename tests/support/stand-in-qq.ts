/**
 * A stand-in QQ bot OpenAPI on 127.0.0.1 (bot.q.qq.com/wiki/develop/api-v2): `POST /app/getAppAccessToken`
 * (`{appId, clientSecret}` → `{access_token, expires_in: "7200"}`), then every call with
 * `Authorization: QQBot <token>` (else 401 code 11244). Messages: `POST /v2/users/{openid}/messages`,
 * `/v2/groups/{group_openid}/messages` (a repeated msg_id + msg_seq → 400 code 40054005, as QQ dedupes),
 * `/channels/{channel_id}/messages`, `/dms/{guild_id}/messages`; rich media `POST /v2/{users|groups}/{id}/files`;
 * `GET /users/@me`. Attachments for inbound events: `GET /files/<name>`.
 * Test controls: `GET /__calls?chat=<scene:id>`, `GET /__tokens`, `POST /__revoke` (every issued token turns
 * invalid, as after a secret reset), `POST /__files {name, base64, mimeType}`, `POST /__faults` (method "messages",
 * chat, textIncludes: that message post fails with `status`, code `description` ?? 22009, `retryAfter` as Retry-After).
 */
import http from "node:http";
import { type Fault, listen, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_QQ = { appId: "102000001", secret: "qq-stand-in-secret-0123", botId: "11111111", username: "nanobot-qq" };

export interface QqCall {
  seq: number;
  method: string;
  path: string;
  /** `c2c:<openid>`, `group:<openid>`, `channel:<id>`, `dm:<guild id>`: the chat id nanobot uses. */
  chat: string | null;
  status: number;
  params: Record<string, any>;
  at: number;
}

export async function startStandInQq(port = 0): Promise<RunningServer> {
  const calls: QqCall[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const valid = new Set<string>();
  const replies = new Set<string>();
  const faults: Fault[] = [];
  let issued = 0;
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const chat = url.searchParams.get("chat");
        return sendJson(res, 200, calls.filter((c) => !chat || c.chat === chat));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__tokens") return sendJson(res, 200, { issued });
      if (url.pathname === "/__revoke" && req.method === "POST") {
        valid.clear();
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
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      if (url.pathname === "/app/getAppAccessToken" && req.method === "POST") {
        const body = JSON.parse(raw.toString() || "{}");
        if (body.appId !== STAND_IN_QQ.appId || body.clientSecret !== STAND_IN_QQ.secret) return sendJson(res, 200, { code: 100016, message: "invalid appid or secret" });
        const token = `qq-token-${++issued}`;
        valid.add(token);
        return sendJson(res, 200, { access_token: token, expires_in: "7200" });
      }
      const params = raw.length ? JSON.parse(raw.toString()) : {};
      const route = /^\/(?:v2\/(users|groups)\/([^/]+)\/(messages|files)|(channels|dms)\/([^/]+)\/messages)$/.exec(url.pathname);
      const chat = route ? (route[1] ? `${route[1] === "users" ? "c2c" : "group"}:${decodeURIComponent(route[2])}` : `${route[4] === "channels" ? "channel" : "dm"}:${decodeURIComponent(route[5])}`) : null;
      const record = (status: number) => calls.push({ seq: ++seq, method: req.method ?? "GET", path: url.pathname, chat, status, params, at: Date.now() });
      const token = /^QQBot (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!token || !valid.has(token)) {
        record(401);
        return sendJson(res, 401, { code: 11244, message: "token not exist or expire" });
      }
      if (url.pathname === "/users/@me" && req.method === "GET") return sendJson(res, 200, { id: STAND_IN_QQ.botId, username: STAND_IN_QQ.username, bot: true });
      if (!route || req.method !== "POST") return sendJson(res, 404, { code: 404, message: "not found" });
      if (route[3] === "files") {
        if (!params.file_type || !params.file_data) {
          record(400);
          return sendJson(res, 400, { code: 40034001, message: "file_type and file_data or url required" });
        }
        record(200);
        return sendJson(res, 200, { file_uuid: `uuid-${seq}`, file_info: `info-${seq}`, ttl: 3600 });
      }
      const v2 = Boolean(route[1]);
      if (v2 && params.msg_type === 7 ? !params.media?.file_info : !params.content) {
        record(400);
        return sendJson(res, 400, { code: 40034001, message: "content required" });
      }
      const fault = takeFault(faults, "messages", chat ?? undefined, undefined, params.content);
      if (fault) {
        record(fault.status);
        return sendJson(res, fault.status, { code: Number(fault.description ?? 22009), message: "msg limit exceed" }, fault.retryAfter ? { "retry-after": String(fault.retryAfter) } : {});
      }
      if (v2 && params.msg_id) {
        const key = `${params.msg_id}#${params.msg_seq ?? 1}`;
        if (replies.has(key)) {
          record(400);
          return sendJson(res, 400, { code: 40054005, message: "消息被去重，请检查请求msgseq" });
        }
        replies.add(key);
      }
      record(200);
      return sendJson(res, 200, { id: `msg-${seq}`, timestamp: new Date().toISOString() });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { code: 500, message: String(err) });
    }
  });
  return listen(server, port);
}
