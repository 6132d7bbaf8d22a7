import type { DingtalkConfig } from "../../config/sections/channel-dingtalk.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { dingtalkApi, dingtalkOapiRoot } from "./dingtalk-api.ts";
import { sendDingtalkMedia, sendMarkdown } from "./dingtalk-send.ts";
import { dingtalkSessionKey, parseDingtalkCallback, type DingtalkCallback } from "./parse-callback.ts";
import { verifyDingtalkSign } from "./verify-sign.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): DingtalkConfig => config.channels.dingtalk;

/**
 * DingTalk publishes no length limit for markdown messages; parts of 4,000 characters stay clear of the
 * robot message size limits while keeping long answers to a few messages.
 */
export const DINGTALK_PART_CHARS = 4_000;
/** Downloads run in the session's alarm, not in the callback's answer; a slow file still gets a bound. */
const FILE_TIMEOUT_MS = 30_000;

export const dingtalkChannel: ChannelAdapter = {
  name: "dingtalk",

  access: (config) => sectionAccess(settings(config)),

  verify({ request, config }) {
    return verifyDingtalkSign({ secret: settings(config).clientSecret, timestamp: request.headers.get("timestamp"), sign: request.headers.get("sign") });
  },

  async parse({ rawBody, config }) {
    let body: DingtalkCallback;
    try {
      body = JSON.parse(rawBody) as DingtalkCallback;
    } catch {
      return { kind: "ignore", reason: "body is not JSON" };
    }
    const parsed = parseDingtalkCallback(body, new URL(dingtalkOapiRoot(settings(config))).origin);
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: dingtalkSessionKey,

  /** `messageFiles/download` turns a downloadCode into a short-lived URL, fetched into R2. */
  async downloadFiles({ env, config, files, workspaceId }) {
    const d = settings(config);
    const refs: MediaRef[] = [];
    for (const file of files) {
      const { downloadUrl } = await dingtalkApi<{ downloadUrl?: string }>(d, "v1.0/robot/messageFiles/download", { downloadCode: file.id, robotCode: d.clientId });
      if (!downloadUrl) throw new Error("DingTalk messageFiles/download returned no downloadUrl");
      const bytes = await fetchFile(downloadUrl, {}, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name));
    }
    return refs;
  },

  outbound: {
    /** Markdown parts (to the sessionWebhook while it lasts), then the files through the robot API; each once. */
    async deliver({ env, config, request, reply, ledger = memoryLedger() }) {
      const d = settings(config);
      const { chatId, replyWebhook } = request.message;
      const parts = reply.content.trim() ? splitMessage(reply.content, DINGTALK_PART_CHARS) : [];
      const media = reply.media ?? [];
      // The session's ledger counts text parts and files, so a resumed delivery repeats neither.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        if (i < parts.length) await sendMarkdown(d, { chatId }, parts[i], replyWebhook);
        else await sendDingtalkMedia(d, env.WORKSPACE, { chatId }, media[i - parts.length]);
        ledger.markPartsSent(i + 1);
      }
    },

    /** A message that answers nothing (pairing codes, the message tool, cron): through the robot API. */
    async send({ env, config, target, text, media, buttons }) {
      const d = settings(config);
      const body = buttons?.length ? `${text}\n\n${buttonsAsText(buttons)}` : text;
      if (body.trim()) for (const part of splitMessage(body, DINGTALK_PART_CHARS)) await sendMarkdown(d, target, part);
      for (const ref of media ?? []) await sendDingtalkMedia(d, env.WORKSPACE, target, ref);
    },

    features: { files: true },
  },
};
