import type { WecomConfig } from "../../config/sections/channel-wecom.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { storeChannelFile } from "../media.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import type { ChannelAdapter } from "../types.ts";
import { wecomAccessToken, wecomDownload } from "./wecom-api.ts";
import { decryptWecom, verifyWecomSignature, WecomCryptoError } from "./wecom-crypto.ts";
import { parseWecomMessage, xmlField } from "./wecom-message.ts";
import { sendWecomMedia, sendWecomText, splitByBytes } from "./wecom-send.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): WecomConfig => config.channels.wecom;
const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

/** Callbacks older than this are refused as replays (WeCom retries within seconds; its docs set no window, Slack's 5 minutes is used). */
export const WECOM_MAX_SKEW_S = 300;
/** Media downloads run in the session's alarm, not in the callback's acknowledgement; a slow file still gets a bound. */
const FILE_TIMEOUT_MS = 30_000;

function signedQuery(request: Request) {
  const q = new URL(request.url).searchParams;
  return { signature: q.get("msg_signature") ?? "", timestamp: q.get("timestamp") ?? "", nonce: q.get("nonce") ?? "" };
}

function fresh(timestamp: string): boolean {
  return /^\d+$/.test(timestamp) && Math.abs(Date.now() / 1000 - Number(timestamp)) <= WECOM_MAX_SKEW_S;
}

export const wecomChannel: ChannelAdapter = {
  name: "wecom",

  access: (config) => sectionAccess(settings(config)),

  /** "Receive messages" URL check: `echostr` is signed and encrypted like a message; the answer is its plaintext. */
  async handshake({ request, config }) {
    const s = settings(config);
    const { signature, timestamp, nonce } = signedQuery(request);
    const echostr = new URL(request.url).searchParams.get("echostr") ?? "";
    if (!echostr || !fresh(timestamp) || !(await verifyWecomSignature({ token: s.token, timestamp, nonce, encrypted: echostr, signature }))) {
      return Response.json({ ok: false, error: "invalid signature" }, { status: 401 });
    }
    try {
      return new Response(await decryptWecom(s.encodingAesKey, echostr, s.corpId), { headers: { "content-type": "text/plain; charset=utf-8" } });
    } catch (err) {
      if (!(err instanceof WecomCryptoError)) throw err;
      log({ event: "wecom_url_check_failed", reason: err.message });
      return Response.json({ ok: false, error: "cannot decrypt echostr: check channels.wecom.encodingAesKey and corpId" }, { status: 401 });
    }
  },

  async verify({ request, rawBody, config }) {
    const s = settings(config);
    const { signature, timestamp, nonce } = signedQuery(request);
    const encrypted = xmlField(rawBody, "Encrypt");
    if (!encrypted || !fresh(timestamp)) return false;
    return verifyWecomSignature({ token: s.token, timestamp, nonce, encrypted, signature });
  },

  async parse({ rawBody, config }) {
    const s = settings(config);
    let xml: string;
    try {
      xml = await decryptWecom(s.encodingAesKey, xmlField(rawBody, "Encrypt") ?? "", s.corpId);
    } catch (err) {
      if (!(err instanceof WecomCryptoError)) throw err;
      return { kind: "ignore", reason: `cannot decrypt: ${err.message}` };
    }
    const parsed = parseWecomMessage(xml, s.agentId);
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  /** An empty 200 is WeCom's "received, no passive reply"; the answer follows through message/send. */
  webhookAnswer: () => new Response("", { status: 200 }),

  sessionKey: (message) => `wecom:${message.chatId}`,

  async downloadFiles({ env, config, files, workspaceId }) {
    const s = settings(config);
    const refs: MediaRef[] = [];
    for (const file of files) {
      const got = await wecomDownload(s, file.id, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, got.bytes, got.mimeType || file.mimeType || "application/octet-stream", got.name ?? file.name));
    }
    return refs;
  },

  outbound: {
    async deliver({ env, config, request, reply, ledger = memoryLedger() }) {
      const s = settings(config);
      const target = { chatId: request.message.chatId };
      const parts = reply.content.trim() ? splitByBytes(reply.content) : [];
      const media = reply.media ?? [];
      // Text parts, then files; the session's ledger counts both, so a resumed delivery repeats neither.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        if (i < parts.length) await sendWecomText(s, target, parts[i]);
        else await sendWecomMedia(s, env.WORKSPACE, target, media[i - parts.length]);
        ledger.markPartsSent(i + 1);
      }
    },

    async send({ env, config, target, text, media, buttons }) {
      const s = settings(config);
      // App messages have no reply buttons a user could press back: the choices are listed as text.
      const body = buttons?.length ? `${text}\n\n${buttonsAsText(buttons)}` : text;
      if (body.trim()) for (const part of splitByBytes(body)) await sendWecomText(s, target, part);
      for (const ref of media ?? []) await sendWecomMedia(s, env.WORKSPACE, target, ref);
    },

    features: { files: true },
  },

  async status({ config }) {
    await wecomAccessToken(settings(config));
    return { bot: `agent ${settings(config).agentId}` };
  },
};
