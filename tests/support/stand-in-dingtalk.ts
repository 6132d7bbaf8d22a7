/**
 * A stand-in DingTalk on 127.0.0.1 serving both hosts' paths, answering like the real ones:
 * - new API: `POST /v1.0/oauth2/accessToken {appKey, appSecret}` → `{accessToken, expireIn}`; with the
 *   `x-acs-dingtalk-access-token` header `POST /v1.0/robot/oToMessages/batchSend`, `/v1.0/robot/groupMessages/send`
 *   (`msgKey` + JSON `msgParam`, checked per template), `/v1.0/robot/messageFiles/download` → `{downloadUrl}`;
 *   a bad token → HTTP 401 `{code: "InvalidAuthentication"}`.
 * - oapi: `POST /robot/sendBySession?session=…` (the callback's sessionWebhook, `{errcode, errmsg}`),
 *   `POST /media/upload?access_token=…&type=image|file` (multipart `media`) → `{errcode: 0, media_id}`.
 * Test controls: `GET /__calls?target=…&method=…` (target: staffId, openConversationId or session),
 * `POST /__files {downloadCode, base64, mimeType}`, `POST /__expire-tokens`, `POST /__faults` (method "session",
 * chat = the session, textIncludes: that sessionWebhook post fails with `status` and errcode `description` ?? 130101).
 */
import http from "node:http";
import { type Fault, listen, parseParams, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_DINGTALK = { clientId: "dingstandin", clientSecret: "dingtalk-client-secret" };

export interface DingtalkCall {
  seq: number;
  method: "token" | "batchSend" | "groupSend" | "session" | "download" | "upload";
  target?: string;
  params: Record<string, any>;
  at: number;
}

/** Each template's required msgParam keys, as DingTalk documents them. */
const TEMPLATES: Record<string, string[]> = { sampleText: ["content"], sampleMarkdown: ["title", "text"], sampleImageMsg: ["photoURL"], sampleFile: ["mediaId", "fileName", "fileType"] };

export async function startStandInDingtalk(port = 0): Promise<RunningServer> {
  const calls: DingtalkCall[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  const valid = new Set<string>();
  const faults: Fault[] = [];
  let seq = 0;
  let counter = 0;
  const record = (call: Omit<DingtalkCall, "seq" | "at">) => calls.push({ ...call, seq: ++seq, at: Date.now() });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const target = url.searchParams.get("target");
        const method = url.searchParams.get("method");
        return sendJson(res, 200, calls.filter((c) => (!target || c.target === target) && (!method || c.method === method)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { downloadCode, base64, mimeType } = JSON.parse(raw.toString());
        files.set(downloadCode, { bytes: Buffer.from(base64, "base64"), mimeType });
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__expire-tokens" && req.method === "POST") {
        valid.clear();
        return res.writeHead(204).end();
      }
      const download = /^\/__download\/(.+)$/.exec(url.pathname);
      if (download && req.method === "GET") {
        const found = files.get(decodeURIComponent(download[1]));
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      if (url.pathname === "/v1.0/oauth2/accessToken" && req.method === "POST") {
        const { appKey, appSecret } = JSON.parse(raw.toString() || "{}");
        record({ method: "token", params: { appKey } });
        if (appKey !== STAND_IN_DINGTALK.clientId || appSecret !== STAND_IN_DINGTALK.clientSecret) {
          return sendJson(res, 400, { code: "invalidClientIdOrSecret", message: "无效的clientId或者clientSecret", requestid: `r${++counter}` });
        }
        const token = `dt-standin-${++counter}`;
        valid.add(token);
        return sendJson(res, 200, { accessToken: token, expireIn: 7200 });
      }
      if (url.pathname === "/robot/sendBySession" && req.method === "POST") {
        const params = JSON.parse(raw.toString() || "{}");
        const session = url.searchParams.get("session") ?? "";
        if (!session) return sendJson(res, 200, { errcode: 300001, errmsg: "session is invalid" });
        if (params.msgtype === "markdown" && (!params.markdown?.title || !params.markdown?.text)) return sendJson(res, 200, { errcode: 40035, errmsg: "缺少参数 markdown.title/text" });
        if (params.msgtype === "text" && !params.text?.content) return sendJson(res, 200, { errcode: 40035, errmsg: "缺少参数 text.content" });
        // DingTalk's robot limit (20 messages a minute) answers errcode 130101 "send too fast".
        const fault = takeFault(faults, "session", session, undefined, params.markdown?.text ?? params.text?.content);
        if (fault) return sendJson(res, fault.status, { errcode: Number(fault.description ?? 130101), errmsg: "send too fast, exceed 20 times per minute" });
        record({ method: "session", target: session, params });
        return sendJson(res, 200, { errcode: 0, errmsg: "ok" });
      }
      if (url.pathname === "/media/upload" && req.method === "POST") {
        if (!valid.has(url.searchParams.get("access_token") ?? "")) return sendJson(res, 200, { errcode: 40014, errmsg: "不合法的access_token" });
        const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"] ?? "") } }).formData().catch(() => null);
        const part = form?.get("media");
        const type = url.searchParams.get("type");
        if (!part || typeof part === "string" || !["image", "file", "voice", "video"].includes(type ?? "")) return sendJson(res, 200, { errcode: 40004, errmsg: "不合法的媒体文件类型" });
        const mediaId = `@lAStandin${++counter}`;
        record({ method: "upload", params: { mediaId, type, name: part.name, mimeType: part.type, base64: Buffer.from(await part.arrayBuffer()).toString("base64") } });
        return sendJson(res, 200, { errcode: 0, errmsg: "ok", media_id: mediaId, created_at: Date.now(), type });
      }
      if (url.pathname.startsWith("/v1.0/robot/") && req.method === "POST") {
        if (!valid.has(String(req.headers["x-acs-dingtalk-access-token"] ?? ""))) return sendJson(res, 401, { code: "InvalidAuthentication", message: "不合法的access_token", requestid: `r${++counter}` });
        const params = parseParams(raw, req.headers["content-type"]);
        const bad = (message: string) => sendJson(res, 400, { code: "invalidParameter", message, requestid: `r${++counter}` });
        if (params.robotCode !== STAND_IN_DINGTALK.clientId) return bad("robotCode 不存在");
        if (url.pathname === "/v1.0/robot/messageFiles/download") {
          record({ method: "download", target: params.downloadCode, params });
          if (!files.has(params.downloadCode)) return bad("downloadCode 无效");
          return sendJson(res, 200, { downloadUrl: `http://${req.headers.host}/__download/${encodeURIComponent(params.downloadCode)}` });
        }
        const group = url.pathname === "/v1.0/robot/groupMessages/send";
        if (!group && url.pathname !== "/v1.0/robot/oToMessages/batchSend") return sendJson(res, 404, { code: "NotFound", message: "api not found" });
        const required = TEMPLATES[params.msgKey];
        if (!required) return bad(`msgKey ${params.msgKey} 不存在`);
        let msgParam: Record<string, unknown>;
        try {
          msgParam = JSON.parse(params.msgParam);
        } catch {
          return bad("msgParam 不是合法的 JSON");
        }
        if (required.some((k) => !msgParam[k])) return bad(`msgParam 缺少 ${required.join(",")}`);
        if (group && !params.openConversationId) return bad("openConversationId 为空");
        if (!group && !(Array.isArray(params.userIds) && params.userIds.length)) return bad("userIds 为空");
        record({ method: group ? "groupSend" : "batchSend", target: group ? params.openConversationId : params.userIds.join(","), params: { ...params, msgParam } });
        return sendJson(res, 200, group ? { processQueryKey: `q${++counter}` } : { processQueryKey: `q${++counter}`, invalidStaffIdList: [], flowControlledStaffIdList: [] });
      }
      return sendJson(res, 404, { code: "NotFound", message: "api not found" });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { code: "InternalError", message: String(err) });
    }
  });
  return listen(server, port);
}
