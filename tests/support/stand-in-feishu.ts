/**
 * A stand-in Feishu / Lark open platform on 127.0.0.1, answering like the real one: `{code, msg, data}` bodies,
 * token errors as HTTP 400 with code 99991663, binary downloads or a JSON error.
 * - `POST /open-apis/auth/v3/tenant_access_token/internal {app_id, app_secret}` → `tenant_access_token`, `expire`
 * - `GET /open-apis/bot/v3/info` → `{code, msg, bot: {open_id, app_name}}`
 * - `POST /open-apis/im/v1/messages?receive_id_type=chat_id` and `POST /open-apis/im/v1/messages/:id/reply`:
 *   validates `msg_type` and its JSON `content`, the 30 KB card limit, and drops a repeated `uuid` (same answer)
 * - `PATCH /open-apis/im/v1/messages/:id {content}`: updates a card the bot sent (recorded as "update", its target
 *   the one of the original message)
 * - `POST /open-apis/im/v1/images`, `POST /open-apis/im/v1/files` (multipart uploads)
 * - `GET /open-apis/im/v1/messages/:id/resources/:key?type=image|file`
 * Test controls: `GET /__calls?target=…&method=…` (target: the chat sent to or the message replied to),
 * `POST /__files {key, base64, mimeType}`, `POST /__expire-tokens` (every issued token becomes invalid),
 * `POST /__rate-limit {target, count, resetS, textIncludes?}` (the next `count` sends/replies to `target`, with that text if named, answer 429 with
 * code 99991400 and `x-ogw-ratelimit-reset`).
 */
import http from "node:http";
import { listen, readBody, type RunningServer, sendJson } from "./stand-in-http.ts";

export const STAND_IN_FEISHU = { appId: "cli_standin", appSecret: "feishu-app-secret", botOpenId: "ou_standinbot", appName: "nanobot stand-in" };

export interface FeishuCall {
  seq: number;
  method: "token" | "bot_info" | "send" | "reply" | "update" | "upload_image" | "upload_file" | "download";
  target?: string;
  params: Record<string, any>;
  /** The message a successful send/reply created or an update changed. */
  messageId?: string;
  /** The code the stand-in answered with (0 = success). */
  code: number;
  at: number;
}

/** Feishu cards are limited to 30 KB of request body. */
const CARD_LIMIT_BYTES = 30 * 1024;
const MSG_TYPES = new Set(["text", "post", "image", "file", "audio", "media", "sticker", "interactive", "share_chat", "share_user"]);

export async function startStandInFeishu(port = 0): Promise<RunningServer> {
  const calls: FeishuCall[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const valid = new Set<string>();
  const sentByUuid = new Map<string, string>();
  /** Messages the bot sent: their type and the target they were recorded under. */
  const sent = new Map<string, { msgType: string; target: string }>();
  const limits: Array<{ target: string; count: number; resetS: number; textIncludes?: string }> = [];
  let seq = 0;
  let counter = 0;
  const record = (call: Omit<FeishuCall, "seq" | "at">) => calls.push({ ...call, seq: ++seq, at: Date.now() });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const target = url.searchParams.get("target");
        const method = url.searchParams.get("method");
        return sendJson(res, 200, calls.filter((c) => (!target || c.target === target) && (!method || c.method === method)));
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { key, base64, mimeType } = JSON.parse(raw.toString());
        files.set(key, { bytes: Buffer.from(base64, "base64"), mimeType });
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__rate-limit" && req.method === "POST") {
        limits.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__expire-tokens" && req.method === "POST") {
        valid.clear();
        return res.writeHead(204).end();
      }
      if (url.pathname === "/open-apis/auth/v3/tenant_access_token/internal" && req.method === "POST") {
        const { app_id, app_secret } = JSON.parse(raw.toString() || "{}");
        if (app_id !== STAND_IN_FEISHU.appId || app_secret !== STAND_IN_FEISHU.appSecret) {
          record({ method: "token", params: { app_id }, code: 10014 });
          return sendJson(res, 400, { code: 10014, msg: "app secret invalid" });
        }
        const token = `t-standin-${++counter}`;
        valid.add(token);
        record({ method: "token", params: { app_id }, code: 0 });
        return sendJson(res, 200, { code: 0, msg: "ok", tenant_access_token: token, expire: 7200 });
      }
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      if (!token) return sendJson(res, 400, { code: 99991661, msg: "Missing access token for authorization. Please make a request with token attached." });
      if (!valid.has(token)) return sendJson(res, 400, { code: 99991663, msg: "Invalid access token for authorization. Please make a request with token attached." });

      if (url.pathname === "/open-apis/bot/v3/info" && req.method === "GET") {
        record({ method: "bot_info", params: {}, code: 0 });
        return sendJson(res, 200, { code: 0, msg: "ok", bot: { activate_status: 2, app_name: STAND_IN_FEISHU.appName, avatar_url: "", ip_white_list: [], open_id: STAND_IN_FEISHU.botOpenId } });
      }
      const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname);
      if ((reply || url.pathname === "/open-apis/im/v1/messages") && req.method === "POST") {
        const params = JSON.parse(raw.toString() || "{}");
        const method = reply ? "reply" : "send";
        const target = reply ? decodeURIComponent(reply[1]) : params.receive_id;
        const fail = (code: number, msg: string) => {
          record({ method, target, params, code });
          return sendJson(res, 400, { code, msg });
        };
        const limit = limits.find((l) => l.count > 0 && l.target === target && (l.textIncludes === undefined || String(params.content ?? "").includes(l.textIncludes)));
        if (limit) {
          limit.count--;
          record({ method, target, params, code: 99991400 });
          return sendJson(res, 429, { code: 99991400, msg: "request trigger frequency limit" }, { "x-ogw-ratelimit-limit": "5", "x-ogw-ratelimit-reset": String(limit.resetS) });
        }
        if (!reply && url.searchParams.get("receive_id_type") !== "chat_id") return fail(99992402, "field validation failed: receive_id_type");
        if (!target) return fail(99992402, "field validation failed: receive_id");
        if (!MSG_TYPES.has(params.msg_type)) return fail(230001, "invalid msg_type");
        try {
          JSON.parse(params.content);
        } catch {
          return fail(230001, "content is not a JSON string");
        }
        if (params.msg_type === "interactive" && Buffer.byteLength(raw) > CARD_LIMIT_BYTES) return fail(230025, "The message content is too long");
        if (params.uuid && sentByUuid.has(params.uuid)) return sendJson(res, 200, { code: 0, msg: "success", data: { message_id: sentByUuid.get(params.uuid) } });
        const messageId = `om_standin_${++counter}`;
        if (params.uuid) sentByUuid.set(params.uuid, messageId);
        sent.set(messageId, { msgType: params.msg_type, target });
        record({ method, target, params, code: 0, messageId });
        return sendJson(res, 200, { code: 0, msg: "success", data: { message_id: messageId, chat_id: reply ? undefined : target, msg_type: params.msg_type, body: { content: params.content } } });
      }
      const update = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
      if (update && req.method === "PATCH") {
        const params = JSON.parse(raw.toString() || "{}");
        const original = sent.get(decodeURIComponent(update[1]));
        if (!original) return sendJson(res, 400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=message not found." });
        if (original.msgType !== "interactive") return sendJson(res, 400, { code: 230001, msg: "Your request contains an invalid request parameter, ext=only card can be updated." });
        try {
          JSON.parse(params.content);
        } catch {
          return sendJson(res, 400, { code: 230001, msg: "content is not a JSON string" });
        }
        if (Buffer.byteLength(raw) > CARD_LIMIT_BYTES) return sendJson(res, 400, { code: 230025, msg: "The message content is too long" });
        record({ method: "update", target: original.target, params, code: 0, messageId: decodeURIComponent(update[1]) });
        return sendJson(res, 200, { code: 0, msg: "success", data: {} });
      }
      if ((url.pathname === "/open-apis/im/v1/images" || url.pathname === "/open-apis/im/v1/files") && req.method === "POST") {
        const image = url.pathname.endsWith("images");
        const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"] ?? "") } }).formData().catch(() => null);
        const part = form?.get(image ? "image" : "file");
        if (!part || typeof part === "string" || (image ? form!.get("image_type") !== "message" : !form!.get("file_type"))) {
          return sendJson(res, 400, { code: 234001, msg: "Invalid request param." });
        }
        const bytes = Buffer.from(await part.arrayBuffer());
        const key = `${image ? "img_v3" : "file_v3"}_standin_${++counter}`;
        record({ method: image ? "upload_image" : "upload_file", params: { key, name: image ? part.name : form!.get("file_name"), type: part.type, base64: bytes.toString("base64") }, code: 0 });
        return sendJson(res, 200, { code: 0, msg: "success", data: image ? { image_key: key } : { file_key: key } });
      }
      const resource = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(url.pathname);
      if (resource && req.method === "GET") {
        const found = files.get(decodeURIComponent(resource[2]));
        const type = url.searchParams.get("type");
        if (type !== "image" && type !== "file") return sendJson(res, 400, { code: 234001, msg: "Invalid request param." });
        record({ method: "download", target: decodeURIComponent(resource[1]), params: { key: resource[2], type }, code: found ? 0 : 234003 });
        if (!found) return sendJson(res, 400, { code: 234003, msg: "File not in msg." });
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      return sendJson(res, 404, { code: 404, msg: "404 page not found" });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { code: 500, msg: String(err) });
    }
  });
  return listen(server, port);
}
