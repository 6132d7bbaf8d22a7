/**
 * A stand-in WhatsApp Cloud API (Graph API) on 127.0.0.1, under `/v23.0/`:
 * - `POST /{phone-number-id}/messages`: text, template, image/audio/document by media id, and read receipts
 *   (`status: "read"`, optional `typing_indicator`). Free-form messages to a user who has not written in the
 *   last 24 hours fail like Meta's with error 131047; templates must be approved (see `/__templates`).
 * - `POST /{phone-number-id}/media` (multipart upload) → `{id}`; `GET /{media-id}` → `{url, mime_type, …}`;
 *   `GET /download/{media-id}` serves the bytes (bearer token required, like Meta's lookaside URLs).
 * - `GET /{phone-number-id}?fields=…` → the number's display name.
 * Errors are Graph-shaped `{"error":{"message","type","code","fbtrace_id"}}`; token "EAA-bad" gets code 190.
 * Test controls: `GET /__calls?to=…&type=…`, `POST /__inbound {wa_id, at?, ids?}` (the user wrote messages `ids` at `at`: opens
 * the window as a real incoming message does), `POST /__media {id, base64, mimeType}` (a file a user sent),
 * `POST /__faults`.
 */
import http from "node:http";
import { type Fault, listen, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_WHATSAPP = { phoneNumberId: "1065550001", displayPhoneNumber: "+1 555-0001", verifiedName: "Nanobot Test", approvedTemplates: ["nanobot_update"] };
const WINDOW_MS = 24 * 3600_000;

export interface WhatsappCall {
  seq: number;
  path: string;
  type: string;
  to?: string;
  authorization?: string;
  body: Record<string, any>;
  status: number;
  at: number;
}

const graphError = (res: http.ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: { message, type: status === 401 ? "OAuthException" : "OAuthException", code, error_data: { messaging_product: "whatsapp", details: message }, fbtrace_id: "AStandIn" } }, headers);

export async function startStandInWhatsapp(port = 0): Promise<RunningServer> {
  const calls: WhatsappCall[] = [];
  const faults: Fault[] = [];
  const lastInbound = new Map<string, number>();
  /** Incoming message ids → their sender: read receipts name only the message. */
  const received = new Map<string, string>();
  const media = new Map<string, { bytes: Buffer; mimeType: string; filename?: string }>();
  let seq = 0;

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const to = url.searchParams.get("to");
        const type = url.searchParams.get("type");
        return sendJson(res, 200, calls.filter((c) => (!to || c.to === to) && (!type || c.type === type)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__inbound" && req.method === "POST") {
        const { wa_id, at, ids } = JSON.parse(raw.toString());
        lastInbound.set(String(wa_id), at ?? Date.now());
        for (const id of ids ?? []) received.set(id, String(wa_id));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__media" && req.method === "POST") {
        const { id, base64, mimeType } = JSON.parse(raw.toString());
        media.set(id, { bytes: Buffer.from(base64, "base64"), mimeType });
        return res.writeHead(204).end();
      }
      const auth = req.headers.authorization;
      const download = /^\/download\/([\w.-]+)$/.exec(url.pathname);
      if (download) {
        if (!auth?.startsWith("Bearer ")) return res.writeHead(401).end("unauthorized");
        const found = media.get(download[1]);
        if (!found) return res.writeHead(404).end("not found");
        return res.writeHead(200, { "content-type": found.mimeType, "content-length": found.bytes.length }).end(found.bytes);
      }
      const graph = /^\/v\d+\.\d+\/([\w.-]+)(?:\/(messages|media))?$/.exec(url.pathname);
      if (!graph) return graphError(res, 404, 100, `Unknown path ${url.pathname}`);
      if (!auth?.startsWith("Bearer ")) return graphError(res, 401, 190, "An active access token must be used to query information about the current user.");
      if (auth === "Bearer EAA-bad") return graphError(res, 401, 190, "Error validating access token: The session is invalid.");
      const [, node, edge] = graph;
      if (!edge && req.method === "GET") {
        if (node === STAND_IN_WHATSAPP.phoneNumberId) {
          return sendJson(res, 200, { display_phone_number: STAND_IN_WHATSAPP.displayPhoneNumber, verified_name: STAND_IN_WHATSAPP.verifiedName, id: node });
        }
        const found = media.get(node);
        if (!found) return graphError(res, 404, 100, `Unsupported get request. Object with ID '${node}' does not exist`);
        return sendJson(res, 200, { messaging_product: "whatsapp", url: `http://${req.headers.host}/download/${node}`, mime_type: found.mimeType, sha256: "0", file_size: found.bytes.length, id: node });
      }
      if (node !== STAND_IN_WHATSAPP.phoneNumberId) return graphError(res, 400, 100, `Object with ID '${node}' does not exist`);
      if (edge === "media" && req.method === "POST") {
        const form = await new Response(raw, { headers: { "content-type": String(req.headers["content-type"] ?? "") } }).formData();
        const file = form.get("file");
        if (form.get("messaging_product") !== "whatsapp" || !file || typeof file === "string") return graphError(res, 400, 100, "Param file must be a file with one of the following types: …");
        const id = `media-out-${++seq}`;
        media.set(id, { bytes: Buffer.from(await file.arrayBuffer()), mimeType: String(form.get("type") ?? file.type), filename: file.name });
        calls.push({ seq, path: url.pathname, type: "upload", body: { id, filename: file.name, type: form.get("type") }, status: 200, at: Date.now() });
        return sendJson(res, 200, { id });
      }
      if (edge !== "messages" || req.method !== "POST") return graphError(res, 400, 100, "Unsupported request");
      const body = JSON.parse(raw.toString() || "{}");
      const type = body.status === "read" ? "read" : String(body.type ?? "text");
      const call: WhatsappCall = { seq: ++seq, path: url.pathname, type, to: body.to ?? received.get(body.message_id), authorization: auth, body, status: 200, at: Date.now() };
      calls.push(call);
      const fail = (status: number, code: number, message: string, headers?: Record<string, string>) => {
        call.status = status;
        return graphError(res, status, code, message, headers);
      };
      if (body.messaging_product !== "whatsapp") return fail(400, 100, "The parameter messaging_product is required.");
      const fault = takeFault(faults, type, body.to, undefined, body.text?.body);
      if (fault) return fail(fault.status, fault.status === 429 ? 130429 : 131000, fault.description ?? "Something went wrong", fault.retryAfter ? { "retry-after": String(fault.retryAfter) } : {});
      if (type === "read") {
        if (!received.has(body.message_id)) return fail(400, 100, "Invalid parameter: message_id is not a message this number received.");
        return sendJson(res, 200, { success: true });
      }
      if (!body.to) return fail(400, 100, "The parameter to is required.");
      if (type === "template") {
        if (!STAND_IN_WHATSAPP.approvedTemplates.includes(body.template?.name)) return fail(404, 132001, "Template name does not exist in the translation");
      } else {
        const last = lastInbound.get(String(body.to));
        if (last === undefined || Date.now() - last > WINDOW_MS) {
          return fail(400, 131047, "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
        }
        if (type === "text" && (!body.text?.body || String(body.text.body).length > 4096)) return fail(400, 100, "Param text['body'] is required and must be at most 4096 characters");
        if (["image", "audio", "document"].includes(type) && !media.has(body[type]?.id)) return fail(400, 131053, "Media upload error");
      }
      return sendJson(res, 200, { messaging_product: "whatsapp", contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.out${seq}` }] });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(err), code: 1 } });
    }
  });
  return listen(server, port);
}
