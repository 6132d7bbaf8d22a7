import type { WhatsappConfig } from "../../config/sections/channel-whatsapp.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { matchesSecret } from "../../security/timing-safe-equal.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { recentUndelivered } from "../undelivered.ts";
import { graphApi } from "./graph-api.ts";
import { parseWhatsappPayload, splitWhatsappPayload, whatsappSessionKey, type WhatsappPayload } from "./parse-webhook.ts";
import { markReadAndTyping, sendMediaFile, sendText, WHATSAPP_TEXT_LIMIT, withinWindow } from "./send.ts";
import { verifyHubSignature } from "./verify-signature.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): WhatsappConfig => config.channels.whatsapp;

/** Media downloads (two Graph API round trips each) run in the session's alarm; a slow file still gets a bound. */
const FILE_TIMEOUT_MS = 30_000;

function parsePayload(rawBody: string): WhatsappPayload | null {
  try {
    return JSON.parse(rawBody) as WhatsappPayload;
  } catch {
    return null;
  }
}

export const whatsappChannel: ChannelAdapter = {
  name: "whatsapp",

  access: (config) => sectionAccess(settings(config)),

  /** Meta's webhook verification: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` → the challenge. */
  async handshake({ request, config }) {
    const params = new URL(request.url).searchParams;
    const expected = settings(config).verifyToken;
    const ok = !!expected && params.get("hub.mode") === "subscribe" && (await matchesSecret(params.get("hub.verify_token") ?? "", expected));
    if (!ok) return Response.json({ ok: false, error: "verify token mismatch: hub.verify_token must equal channels.whatsapp.verifyToken" }, { status: 403 });
    return new Response(params.get("hub.challenge") ?? "", { status: 200, headers: { "content-type": "text/plain" } });
  },

  verify({ request, rawBody, config }) {
    return verifyHubSignature(settings(config).appSecret, request.headers.get("x-hub-signature-256"), rawBody);
  },

  split({ rawBody }) {
    const payload = parsePayload(rawBody);
    const parts = payload ? splitWhatsappPayload(payload) : [];
    return parts.length > 1 ? parts.map((p) => JSON.stringify(p)) : [rawBody];
  },

  async parse({ rawBody, config }) {
    const payload = parsePayload(rawBody);
    if (!payload) return { kind: "ignore", reason: "body is not JSON" };
    const parsed = parseWhatsappPayload(payload, settings(config).phoneNumberId);
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: whatsappSessionKey,

  /** `GET /{media-id}` gives a short-lived URL, which is downloaded with the same token. */
  async downloadFiles({ env, config, files, workspaceId }) {
    const wa = settings(config);
    const refs: MediaRef[] = [];
    for (const file of files) {
      const info = await graphApi<{ url: string; mime_type?: string }>(wa, encodeURIComponent(file.id));
      const bytes = await fetchFile(info.url, { headers: { authorization: `Bearer ${wa.accessToken}` } }, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, info.mime_type ?? file.mimeType ?? "application/octet-stream", file.name));
    }
    return refs;
  },

  async acknowledge({ config, message }) {
    if (message.messageId) await markReadAndTyping(settings(config), message.messageId);
  },

  outbound: {
    async deliver({ env, config, request, reply, ledger = memoryLedger() }) {
      const wa = settings(config);
      const to = request.message.chatId;
      const media = reply.media ?? [];
      const parts = reply.content.trim() ? splitMessage(reply.content, WHATSAPP_TEXT_LIMIT) : [];
      // Text parts, then files; the session's ledger counts both, so a resumed delivery repeats neither.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        if (i < parts.length) {
          const result = await withinWindow({ bucket: env.WORKSPACE, wa, to, text: parts.slice(i).join("\n\n"), send: () => sendText(wa, to, parts[i]) });
          // A template carries the whole text at once; an undelivered reply is recorded whole.
          if (result !== "sent") break;
        } else await sendMediaFile(wa, env.WORKSPACE, to, media[i - parts.length]);
        ledger.markPartsSent(i + 1);
      }
    },

    async send({ env, config, target, text, media, buttons }) {
      const wa = settings(config);
      const body = buttons?.length ? `${text}\n\n${buttonsAsText(buttons)}` : text;
      const parts = body.trim() ? splitMessage(body, WHATSAPP_TEXT_LIMIT) : [];
      for (let i = 0; i < parts.length; i++) {
        const result = await withinWindow({ bucket: env.WORKSPACE, wa, to: target.chatId, text: parts.slice(i).join("\n\n"), send: () => sendText(wa, target.chatId, parts[i]) });
        if (result === "undelivered") {
          throw new Error("WhatsApp refused the message: the 24-hour customer service window is closed and no template is configured (channels.whatsapp.template.name). It was recorded; /status and doctor show it.");
        }
        if (result === "template") return;
      }
      for (const ref of media ?? []) await sendMediaFile(wa, env.WORKSPACE, target.chatId, ref);
    },

    features: { files: true },
  },

  async status({ env, config }) {
    const wa = settings(config);
    const undelivered = (await recentUndelivered(env.WORKSPACE, { channel: "whatsapp" })).length;
    try {
      const info = await graphApi<{ display_phone_number?: string; verified_name?: string }>(wa, `${encodeURIComponent(wa.phoneNumberId)}?fields=display_phone_number,verified_name`);
      return { bot: [info.verified_name, info.display_phone_number].filter(Boolean).join(" "), undelivered };
    } catch (err) {
      return { undelivered, statusError: String((err as Error).message ?? err).slice(0, 300) };
    }
  },
};
