import type { SlackConfig } from "../../config/sections/channels.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import { memoryLedger, type ChatTarget } from "../outbound.ts";
import { splitMessage } from "../split-message.ts";
import type { ChannelAdapter } from "../types.ts";
import { markdownToMrkdwn } from "./markdown-to-mrkdwn.ts";
import { botUserIdOf, parseSlackEvent, slackSessionKey, type SlackEnvelope } from "./parse-event.ts";
import { slackApi, slackBotUserId } from "./slack-api.ts";
import { uploadSlackFile } from "./slack-files.ts";
import { verifySlackSignature } from "./verify-signature.ts";
import { composeHooks } from "../../agent/hooks.ts";
import { progressHooks, progressSettings, wantsStatusLine } from "../progress/progress-hooks.ts";
import { finishStatusLine, trackStatusLine } from "../progress/status-line.ts";
import { BUTTON_TEXT_PART_CHARS, buttonBlocks, parseBlockActions, type BlockActionsPayload } from "./buttons.ts";
import { slackStatusLine } from "./turn-feedback.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): SlackConfig => config.channels.slack;

/** chat.postMessage truncates text beyond 40,000 characters; nanobot splits at 39,000. */
const SLACK_PART_LIMIT = 39_000;
/** Downloads run in the session's alarm (the webhook is answered first); this only bounds a stuck file host. */
const FILE_TIMEOUT_MS = 30_000;

async function post(slack: SlackConfig, target: ChatTarget, markdown: string): Promise<void> {
  for (const part of splitMessage(markdown, SLACK_PART_LIMIT)) {
    await slackApi(slack, "chat.postMessage", { channel: target.chatId, text: markdownToMrkdwn(part), mrkdwn: true, ...(target.threadId ? { thread_ts: target.threadId } : {}) });
  }
}

/** Reactions are a courtesy: failing to add one (already there, missing scope) never fails the turn. */
function react(slack: SlackConfig, method: "reactions.add" | "reactions.remove", channel: string, ts: string | undefined, name: string): Promise<void> {
  if (!ts || !name) return Promise.resolve();
  return slackApi(slack, method, { channel, timestamp: ts, name }).then(
    () => undefined,
    (err) => console.log(JSON.stringify({ event: "slack_reaction_failed", method, error: String(err).slice(0, 200) })),
  );
}

export const slackChannel: ChannelAdapter = {
  name: "slack",

  access: (config) => sectionAccess(settings(config)),

  verify({ request, rawBody, config }) {
    return verifySlackSignature({
      secret: settings(config).signingSecret,
      timestamp: request.headers.get("x-slack-request-timestamp"),
      signature: request.headers.get("x-slack-signature"),
      rawBody,
    });
  },

  async parse({ rawBody, config }) {
    // Interactivity (button presses) arrives form-encoded as `payload=<json>`, signed like events.
    if (rawBody.startsWith("payload=")) {
      let payload: BlockActionsPayload;
      try {
        payload = JSON.parse(new URLSearchParams(rawBody).get("payload") ?? "") as BlockActionsPayload;
      } catch {
        return { kind: "ignore", reason: "interactivity payload is not JSON" };
      }
      if (payload.type !== "block_actions") return { kind: "ignore", reason: `interaction ${payload.type}` };
      const pressed = parseBlockActions(payload);
      return pressed.ok ? { kind: "message", message: pressed.message, files: [] } : { kind: "ignore", reason: pressed.reason };
    }
    let envelope: SlackEnvelope;
    try {
      envelope = JSON.parse(rawBody) as SlackEnvelope;
    } catch {
      return { kind: "ignore", reason: "body is not JSON" };
    }
    if (envelope.type === "url_verification") return { kind: "respond", response: Response.json({ challenge: envelope.challenge ?? "" }) };
    if (envelope.type !== "event_callback") return { kind: "ignore", reason: `envelope ${envelope.type}` };
    const s = settings(config);
    const botUserId = botUserIdOf(envelope) ?? (await slackBotUserId(s));
    const parsed = parseSlackEvent(envelope, botUserId, { replyInThread: s.replyInThread });
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: slackSessionKey,

  async downloadFiles({ env, config, files, workspaceId }) {
    const s = settings(config);
    const refs: MediaRef[] = [];
    for (const file of files) {
      if (!file.url) continue;
      const bytes = await fetchFile(file.url, { headers: { authorization: `Bearer ${s.botToken}` } }, FILE_TIMEOUT_MS);
      refs.push(await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name));
    }
    return refs;
  },

  outbound: {
    turnHooks({ config, request, inboxId }) {
      const s = settings(config);
      const { chatId, threadId, messageId, buttonPress } = request.message;
      // A button press has no message of the person's own to react to.
      if (!buttonPress) void react(s, "reactions.add", chatId, messageId, s.reactEmoji);
      const progress = progressSettings(config);
      if (!wantsStatusLine(progress)) return undefined;
      return composeHooks(progressHooks(progress, trackStatusLine(`${request.sessionKey}#${inboxId}`, slackStatusLine(s, { chatId, threadId }))));
    },

    async deliver({ env, config, request, reply, inboxId, ledger = memoryLedger() }) {
      const s = settings(config);
      const { chatId, threadId, messageId, buttonPress } = request.message;
      const key = `${request.sessionKey}#${inboxId}`;
      await finishStatusLine(key);
      const media = reply.media ?? [];
      if (reply.content.trim() || media.length) {
        const parts = reply.content.trim() ? splitMessage(reply.content, SLACK_PART_LIMIT) : [];
        // Text parts, then files; the session's ledger counts both, so a resumed delivery repeats neither.
        for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
          if (i < parts.length) await post(s, { chatId, threadId }, parts[i]);
          else await uploadSlackFile(s, env.WORKSPACE, { chatId, threadId }, media[i - parts.length]);
          ledger.markPartsSent(i + 1);
        }
      }
      if (!reply.isCommand && !buttonPress) {
        await react(s, "reactions.remove", chatId, messageId, s.reactEmoji);
        await react(s, "reactions.add", chatId, messageId, s.doneEmoji);
      }
    },

    /** The text (with buttons as Block Kit: section + actions), then the files, as a reply with media is delivered. */
    async send({ env, config, target, text, media, buttons }) {
      const s = settings(config);
      if (buttons?.length) {
        const parts = splitMessage(text, BUTTON_TEXT_PART_CHARS);
        for (const part of parts.slice(0, -1)) await post(s, target, part);
        const last = parts[parts.length - 1] ?? text;
        await slackApi(s, "chat.postMessage", { channel: target.chatId, text: markdownToMrkdwn(last), blocks: buttonBlocks(last, buttons), ...(target.threadId ? { thread_ts: target.threadId } : {}) });
      } else if (text.trim()) await post(s, target, text);
      for (const ref of media ?? []) await uploadSlackFile(s, env.WORKSPACE, target, ref);
    },

    features: { files: true, buttons: true },
  },
};
