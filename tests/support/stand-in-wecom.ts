/**
 * A stand-in WeCom (企业微信) server API on 127.0.0.1, answering like qyapi.weixin.qq.com: `GET /cgi-bin/gettoken`,
 * `POST /cgi-bin/message/send`, `GET /cgi-bin/media/get`, `POST /cgi-bin/media/upload` (multipart `media`),
 * errors as HTTP 200 with a non-zero `errcode`. It also plays WeCom's callback side with its own (Node) crypto:
 * `POST /__callback {xml}` → the signed, encrypted request WeCom would send to the app's callback URL.
 * Test controls: `GET /__calls?touser=…&method=…`, `POST /__faults`, `POST /__files {mediaId, base64, mimeType, name}`,
 * `POST /__expire` (the current access token stops working, as when it expires early).
 */
import crypto from "node:crypto";
import http from "node:http";
import { type Fault, listen, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

/** The app the test config describes (tests/support/test-config.ts). */
export const STAND_IN_WECOM = {
  corpId: "wwstandincorp",
  agentId: "1000002",
  secret: "wecom-secret",
  token: "wecom-token",
  encodingAesKey: "h5ldafr3JZ1rK1kcC63b9F7ogL0fu7MmoZOSuvoHYXk",
};

export interface WecomCall {
  seq: number;
  method: string;
  accessToken: string | null;
  params: Record<string, any>;
  at: number;
  /** false when WeCom refused the call (stale token, fault). */
  ok: boolean;
}

const sha1 = (...parts: string[]) => crypto.createHash("sha1").update(parts.sort().join("")).digest("hex");

/** WXBizMsgCrypt's encryption: random(16) ‖ length ‖ message ‖ corp id, PKCS#7 to 32 bytes, AES-256-CBC, IV = key[0..16]. */
export function wecomEncrypt(message: string, app = STAND_IN_WECOM): string {
  const key = Buffer.from(`${app.encodingAesKey}=`, "base64");
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([crypto.randomBytes(16), len, msg, Buffer.from(app.corpId)]);
  const pad = 32 - (plain.length % 32);
  const cipher = crypto.createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

/** The query string and XML body WeCom posts for one decrypted message XML. */
export function wecomCallback(xml: string, opts: { timestamp?: number; token?: string } = {}) {
  const encrypted = wecomEncrypt(xml);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = String(crypto.randomInt(1e9));
  const signature = sha1(opts.token ?? STAND_IN_WECOM.token, timestamp, nonce, encrypted);
  return {
    query: `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    body: `<xml><ToUserName><![CDATA[${STAND_IN_WECOM.corpId}]]></ToUserName><AgentID><![CDATA[${STAND_IN_WECOM.agentId}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
    echo: { encrypted, signature, timestamp, nonce },
  };
}

export async function startStandInWecom(port = 0): Promise<RunningServer> {
  const calls: WecomCall[] = [];
  const faults: Fault[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string; name: string }>();
  const uploads = new Map<string, { bytes: Buffer; name: string; type: string }>();
  let seq = 0;
  let tokenSeq = 0;
  let currentToken = "";

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const touser = url.searchParams.get("touser");
        const method = url.searchParams.get("method");
        return sendJson(res, 200, calls.filter((c) => (!touser || c.params.touser === touser) && (!method || c.method === method)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { mediaId, base64, mimeType, name } = JSON.parse(raw.toString());
        files.set(mediaId, { bytes: Buffer.from(base64, "base64"), mimeType, name });
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__uploads") return sendJson(res, 200, Object.fromEntries([...uploads].map(([id, u]) => [id, { name: u.name, type: u.type, size: u.bytes.length }])));
      if (url.pathname === "/__expire" && req.method === "POST") {
        currentToken = "";
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__callback" && req.method === "POST") {
        const { xml, timestamp, token } = JSON.parse(raw.toString());
        return sendJson(res, 200, wecomCallback(xml, { timestamp, token }));
      }
      const api = /^\/cgi-bin\/([\w/]+)$/.exec(url.pathname);
      if (!api) return sendJson(res, 404, { errcode: 404, errmsg: "unknown path" });
      const method = api[1];
      if (method === "gettoken") {
        calls.push({ seq: ++seq, method, accessToken: null, params: { corpid: url.searchParams.get("corpid") }, at: Date.now(), ok: true });
        if (url.searchParams.get("corpid") !== STAND_IN_WECOM.corpId) return sendJson(res, 200, { errcode: 40013, errmsg: "invalid corpid" });
        if (url.searchParams.get("corpsecret") !== STAND_IN_WECOM.secret) return sendJson(res, 200, { errcode: 40001, errmsg: "invalid credential" });
        currentToken = `wecom-token-${++tokenSeq}`;
        return sendJson(res, 200, { errcode: 0, errmsg: "ok", access_token: currentToken, expires_in: 7200 });
      }
      const accessToken = url.searchParams.get("access_token");
      const contentType = String(req.headers["content-type"] ?? "");
      let params: Record<string, any> = {};
      if (contentType.startsWith("application/json")) params = JSON.parse(raw.toString() || "{}");
      if (method === "media/get") params = { media_id: url.searchParams.get("media_id") };
      const call: WecomCall = { seq: ++seq, method, accessToken, params, at: Date.now(), ok: false };
      calls.push(call);
      if (!accessToken || accessToken !== currentToken) return sendJson(res, 200, { errcode: 40014, errmsg: "invalid access_token" });
      const fault = takeFault(faults, method, params.touser, undefined, params.markdown?.content ?? params.text?.content);
      call.ok = !fault;
      if (fault) return sendJson(res, fault.status === 200 ? 200 : fault.status, { errcode: Number(fault.description ?? 45009), errmsg: "fault" });
      if (method === "message/send") return sendJson(res, 200, { errcode: 0, errmsg: "ok", msgid: `msg${seq}` });
      if (method === "media/get") {
        const file = files.get(String(params.media_id));
        if (!file) return sendJson(res, 200, { errcode: 40007, errmsg: "invalid media_id" });
        return res.writeHead(200, { "content-type": file.mimeType, "content-disposition": `attachment; filename="${file.name}"`, "content-length": file.bytes.length }).end(file.bytes);
      }
      if (method === "media/upload") {
        const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
        const media = form.get("media");
        if (!media || typeof media === "string") return sendJson(res, 200, { errcode: 41001, errmsg: "media data missing" });
        const mediaId = `upload-${seq}`;
        uploads.set(mediaId, { bytes: Buffer.from(await media.arrayBuffer()), name: media.name, type: url.searchParams.get("type") ?? "" });
        call.params = { type: url.searchParams.get("type"), name: media.name, size: media.size };
        return sendJson(res, 200, { errcode: 0, errmsg: "ok", type: url.searchParams.get("type"), media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
      }
      return sendJson(res, 200, { errcode: 404, errmsg: `unknown method ${method}` });
    } catch (err) {
      sendJson(res, 500, { errcode: -1, errmsg: String(err) });
    }
  });
  return listen(server, port);
}
