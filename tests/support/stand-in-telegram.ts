/**
 * A stand-in Telegram Bot API on 127.0.0.1: `POST /bot<token>/<method>` answers like the real API (message
 * objects, `{ok:false,error_code,description,parameters}` errors with the same HTTP status), validates
 * `parse_mode: "HTML"` and the 4096-character limit the way Telegram does, and records every call.
 * Files: `GET /file/bot<token>/<path>`. Test controls: `GET /__calls?chat=…&method=…`, `POST /__faults`,
 * `POST /__files {fileId, path, base64}`, `POST /__webhook-info {token, info}` (what getWebhookInfo reports for
 * that bot token only, e.g. a `last_error_message`, so a test cannot disturb the others), `POST /__updates {token, update}` (queues an incoming update for
 * `getUpdates`; `update_id` is assigned when missing), `GET /__updates?token=…` (still unconfirmed ones).
 * `getUpdates` follows the real semantics per bot token: it long-polls up to `timeout` seconds, `offset`
 * confirms (drops) every earlier update, a newer call ends a waiting one with 409, and while a webhook is set
 * (`setWebhook`, until `deleteWebhook`) it answers 409.
 */
import http from "node:http";
import { type Fault, hangUntilClosed, listen, parseParams, readBody, type RunningServer, sendJson, takeFault } from "./stand-in-http.ts";

export const STAND_IN_BOT = { id: 123456, is_bot: true, first_name: "Nano", username: "nano_test_bot", can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };

export interface TelegramCall {
  seq: number;
  method: string;
  token: string;
  params: Record<string, any>;
  at: number;
  /** HTTP status the stand-in answered with. */
  status: number;
  /** The message a successful sendMessage created or editMessageText changed. */
  messageId?: number;
}

const ALLOWED_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler", "span", "tg-emoji"]);

/** Telegram's HTML rules: only known tags, properly nested, every other `<`/`&` escaped. Returns the visible text or an error. */
export function parseTelegramHtml(html: string): { text: string } | { error: string } {
  const stack: string[] = [];
  let text = "";
  for (let i = 0; i < html.length; ) {
    const ch = html[i];
    if (ch === "<") {
      const m = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"]*")*)\s*>/i.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Unexpected end tag at byte offset ${i}` };
      const name = m[2].toLowerCase();
      if (!ALLOWED_TAGS.has(name)) return { error: `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${i}` };
      if (m[1]) {
        if (stack.pop() !== name) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag at byte offset ${i}` };
      } else stack.push(name);
      i += m[0].length;
    } else if (ch === "&") {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i));
      if (!m) return { error: `Bad Request: can't parse entities: Character entity expected at byte offset ${i}` };
      text += { lt: "<", gt: ">", amp: "&", quot: '"' }[m[1].toLowerCase()] ?? "?";
      i += m[0].length;
    } else {
      text += ch;
      i++;
    }
  }
  if (stack.length) return { error: `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"` };
  return { text };
}

type Update = { update_id: number } & Record<string, unknown>;

/** One bot's incoming side: queued updates, its webhook, and the getUpdates call waiting for news. */
interface BotInbox {
  updates: Update[];
  nextUpdateId: number;
  webhook: { url: string; secret_token: string; allowed_updates: string[] };
  waiting?: { wake: (reason: "update" | "conflict") => void };
}

export async function startStandInTelegram(port = 0): Promise<RunningServer> {
  const calls: TelegramCall[] = [];
  const faults: Fault[] = [];
  const files = new Map<string, { path: string; bytes: Buffer }>();
  const messages = new Map<string, Map<number, string>>();
  const webhookInfo = new Map<string, Record<string, unknown>>();
  const inboxes = new Map<string, BotInbox>();
  const inboxOf = (token: string): BotInbox => {
    let inbox = inboxes.get(token);
    if (!inbox) inboxes.set(token, (inbox = { updates: [], nextUpdateId: 500_000_000 + Math.floor(Math.random() * 1000) * 1000, webhook: { url: "", secret_token: "", allowed_updates: [] } }));
    return inbox;
  };
  let seq = 0;
  let nextMessageId = 1000;

  const error = (res: http.ServerResponse, call: TelegramCall, status: number, description: string, retryAfter?: number) => {
    call.status = status;
    sendJson(res, status, { ok: false, error_code: status, description, ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}) });
  };

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = await readBody(req);
      if (url.pathname === "/__calls") {
        const chat = url.searchParams.get("chat");
        const method = url.searchParams.get("method");
        return sendJson(res, 200, calls.filter((c) => (!chat || String(c.params.chat_id) === chat) && (!method || c.method === method)));
      }
      if (url.pathname === "/__faults" && req.method === "POST") {
        faults.push(JSON.parse(raw.toString()));
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__files" && req.method === "POST") {
        const { fileId, path, base64 } = JSON.parse(raw.toString());
        files.set(fileId, { path, bytes: Buffer.from(base64, "base64") });
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__webhook-info" && req.method === "POST") {
        const { token, info } = JSON.parse(raw.toString());
        webhookInfo.set(token, info);
        return res.writeHead(204).end();
      }
      if (url.pathname === "/__updates") {
        if (req.method === "GET") return sendJson(res, 200, inboxOf(url.searchParams.get("token") ?? "").updates);
        const { token, update } = JSON.parse(raw.toString()) as { token: string; update: Record<string, unknown> };
        const inbox = inboxOf(token);
        const queued = { ...update, update_id: typeof update.update_id === "number" ? update.update_id : inbox.nextUpdateId++ } as Update;
        inbox.nextUpdateId = Math.max(inbox.nextUpdateId, queued.update_id + 1);
        inbox.updates.push(queued);
        inbox.waiting?.wake("update");
        return sendJson(res, 200, { update_id: queued.update_id });
      }
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file && req.method === "GET") {
        const found = [...files.values()].find((f) => f.path === file[2]);
        if (!found) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
        return res.writeHead(200, { "content-type": "application/octet-stream", "content-length": found.bytes.length }).end(found.bytes);
      }
      const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!api) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      const [, token, method] = api;
      // New files (sendPhoto, sendDocument) arrive as multipart/form-data; each file part is recorded as {filename, mimeType, size, base64}.
      const params = String(req.headers["content-type"] ?? "").startsWith("multipart/form-data") ? await parseMultipart(raw, String(req.headers["content-type"])) : parseParams(raw, req.headers["content-type"]);
      const call: TelegramCall = { seq: ++seq, method, token, params, at: Date.now(), status: 200 };
      calls.push(call);
      if (!/^\d+:[\w-]+$/.test(token)) return error(res, call, 401, "Unauthorized");
      const chat = params.chat_id === undefined ? undefined : String(params.chat_id);
      const fault = takeFault(faults, method, chat, params.parse_mode, params.text);
      if (fault?.hang) {
        call.status = 0;
        return hangUntilClosed(res);
      }
      if (fault) return error(res, call, fault.status, fault.description ?? `Too Many Requests: retry after ${fault.retryAfter ?? 1}`, fault.retryAfter);
      const ok = (result: unknown) => sendJson(res, 200, { ok: true, result });
      switch (method) {
        case "getMe":
          // The id is the token's prefix, as with real bot tokens ("123456:ABC" → 123456).
          return ok({ ...STAND_IN_BOT, id: Number(token.split(":")[0]) });
        case "getUpdates":
          return getUpdates(inboxOf(token), params, call, res);
        case "sendMessage":
        case "editMessageText": {
          if (!chat) return error(res, call, 400, "Bad Request: chat_id is empty");
          let visible = String(params.text ?? "");
          if (params.parse_mode === "HTML") {
            const parsed = parseTelegramHtml(visible);
            if ("error" in parsed) return error(res, call, 400, parsed.error);
            visible = parsed.text;
          }
          if (!visible.trim()) return error(res, call, 400, "Bad Request: message text is empty");
          if (visible.length > 4096) return error(res, call, 400, "Bad Request: message is too long");
          const chatMessages = messages.get(chat) ?? new Map<number, string>();
          messages.set(chat, chatMessages);
          let id: number;
          if (method === "editMessageText") {
            id = Number(params.message_id);
            if (!chatMessages.has(id)) return error(res, call, 400, "Bad Request: message to edit not found");
            if (chatMessages.get(id) === params.text) return error(res, call, 400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
          } else id = nextMessageId++;
          chatMessages.set(id, params.text);
          call.messageId = id;
          return ok({ message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: Number(chat) < 0 ? "supergroup" : "private" }, from: STAND_IN_BOT, text: visible, ...(params.message_thread_id ? { message_thread_id: params.message_thread_id } : {}) });
        }
        case "sendPhoto":
        case "sendDocument": {
          const field = method === "sendPhoto" ? "photo" : "document";
          const file = params[field];
          if (!chat) return error(res, call, 400, "Bad Request: chat_id is empty");
          if (!file || typeof file !== "object" || !file.size) return error(res, call, 400, `Bad Request: there is no ${field} in the request`);
          if (method === "sendPhoto" && file.size > 10 * 1024 * 1024) return error(res, call, 400, "Bad Request: PHOTO_INVALID_DIMENSIONS");
          // Not recorded as `call.messageId`: that field tracks text messages (finalTexts reads it).
          const id = nextMessageId++;
          const sent = method === "sendPhoto" ? { photo: [{ file_id: `photo${id}`, file_unique_id: `p${id}`, width: 1, height: 1, file_size: file.size }] } : { document: { file_id: `doc${id}`, file_unique_id: `d${id}`, file_name: file.filename, file_size: file.size } };
          return ok({ message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: Number(chat) < 0 ? "supergroup" : "private" }, from: STAND_IN_BOT, ...sent, ...(params.message_thread_id ? { message_thread_id: params.message_thread_id } : {}) });
        }
        case "sendChatAction":
        case "setMessageReaction":
        case "answerCallbackQuery":
          return ok(true);
        case "deleteMessage": {
          const chatMessages = chat ? messages.get(chat) : undefined;
          if (!chatMessages?.delete(Number(params.message_id))) return error(res, call, 400, "Bad Request: message to delete not found");
          return ok(true);
        }
        case "editMessageReplyMarkup": {
          const chatMessages = chat ? messages.get(chat) : undefined;
          if (!chatMessages?.has(Number(params.message_id))) return error(res, call, 400, "Bad Request: message to edit not found");
          return ok({ message_id: Number(params.message_id), date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: "private" }, text: chatMessages.get(Number(params.message_id)) });
        }
        case "deleteWebhook": {
          const inbox = inboxOf(token);
          inbox.webhook = { url: "", secret_token: "", allowed_updates: [] };
          if (params.drop_pending_updates) inbox.updates = [];
          return ok(true);
        }
        case "getFile": {
          const f = files.get(String(params.file_id));
          if (!f) return error(res, call, 400, "Bad Request: invalid file_id");
          return ok({ file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: f.bytes.length, file_path: f.path });
        }
        case "setWebhook": {
          const inbox = inboxOf(token);
          inbox.webhook = { url: params.url, secret_token: params.secret_token ?? "", allowed_updates: params.allowed_updates ?? [] };
          // A poll waiting at that moment ends as Telegram ends it: with the conflict.
          inbox.waiting?.wake("conflict");
          return ok(true);
        }
        case "getWebhookInfo": {
          const { webhook, updates } = inboxOf(token);
          return ok({ url: webhook.url, has_custom_certificate: false, pending_update_count: updates.length, allowed_updates: webhook.allowed_updates, ...webhookInfo.get(token) });
        }
        default:
          return error(res, call, 404, "Not Found: method not found");
      }
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error_code: 500, description: String(err) });
    }
  });
  return listen(server, port);
}

const WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const TERMINATED = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";

/** getUpdates as Telegram serves it: confirm below `offset`, answer at once if anything is there, else wait up to `timeout` s. */
async function getUpdates(inbox: BotInbox, params: Record<string, any>, call: TelegramCall, res: http.ServerResponse): Promise<void> {
  const fail = (description: string) => {
    call.status = 409;
    sendJson(res, 409, { ok: false, error_code: 409, description });
  };
  if (inbox.webhook.url) return fail(WEBHOOK_ACTIVE);
  const offset = Number(params.offset ?? 0);
  if (offset > 0) inbox.updates = inbox.updates.filter((u) => u.update_id >= offset);
  else if (offset < 0) inbox.updates = inbox.updates.slice(offset);
  const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
  const allowed: string[] = Array.isArray(params.allowed_updates) && params.allowed_updates.length ? params.allowed_updates : [];
  const deliverable = () => inbox.updates.filter((u) => !allowed.length || Object.keys(u).some((k) => allowed.includes(k))).slice(0, limit);
  // A newer call ends the one still waiting, as on the real API.
  inbox.waiting?.wake("conflict");
  inbox.waiting = undefined;
  const timeoutS = Math.max(0, Number(params.timeout ?? 0));
  if (!deliverable().length && timeoutS > 0) {
    let waiting: BotInbox["waiting"];
    const reason = await new Promise<"update" | "conflict" | "timeout" | "closed">((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), timeoutS * 1000);
      waiting = { wake: (why) => (clearTimeout(timer), resolve(why)) };
      inbox.waiting = waiting;
      res.once("close", () => (clearTimeout(timer), resolve("closed")));
    });
    if (inbox.waiting === waiting) inbox.waiting = undefined;
    if (reason === "closed") return;
    if (reason === "conflict") return fail(inbox.webhook.url ? WEBHOOK_ACTIVE : TERMINATED);
  }
  sendJson(res, 200, { ok: true, result: deliverable() });
}

/** multipart/form-data as the Bot API reads it: text fields (JSON values parsed) and files. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<Record<string, any>> {
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const out: Record<string, any> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") {
      try {
        out[key] = JSON.parse(value);
      } catch {
        out[key] = value;
      }
    } else {
      const bytes = Buffer.from(await value.arrayBuffer());
      out[key] = { filename: value.name, type: value.type, mimeType: value.type, size: bytes.length, base64: bytes.toString("base64") };
    }
  }
  // `photo: "attach://<part>"` names the file part that holds it (grammY sends every upload this way).
  for (const [key, value] of Object.entries(out)) {
    const attached = typeof value === "string" ? /^attach:\/\/(.+)$/.exec(value) : null;
    if (attached && typeof out[attached[1]] === "object") out[key] = out[attached[1]];
  }
  return out;
}
