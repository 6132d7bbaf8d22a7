import type { Update } from "grammy/types";
import type { TelegramConfig } from "../../config/sections/channels.ts";
import type { Config } from "../../config/schema.ts";
import type { MediaRef } from "../../session-protocol/inbound.ts";
import { matchesSecret } from "../../security/timing-safe-equal.ts";
import { fetchFile, storeChannelFile } from "../media.ts";
import type { ChannelAdapter } from "../types.ts";
import { telegramBot } from "./bot.ts";
import { parseTelegramUpdate, telegramSessionKey } from "./parse-update.ts";
import { editPart, sendMarkdown, sendMediaFile, sendPart, splitForTelegram } from "./send.ts";
import { finishPreview, previewKey, telegramTurnHooks } from "./stream-preview.ts";
import { composeHooks } from "../../agent/hooks.ts";
import { buttonsAsText, memoryLedger } from "../outbound.ts";
import { progressHooks, progressSettings, wantsStatusLine } from "../progress/progress-hooks.ts";
import { finishStatusLine, trackStatusLine } from "../progress/status-line.ts";
import { inlineKeyboard, parseCallbackQuery } from "./buttons.ts";
import { setReaction, telegramStatusLine } from "./turn-feedback.ts";
import { sectionAccess } from "../access-control.ts";

const settings = (config: Config): TelegramConfig => config.channels.telegram;
/** Ledger name of the streamed preview's message id. */
const PREVIEW = "preview";
const api = (config: Config) => telegramBot(settings(config)).then((bot) => bot.api);

/** Downloads run in the session's alarm (the webhook is answered first); this only bounds a stuck file host. */
const FILE_TIMEOUT_MS = 30_000;

export const telegramChannel: ChannelAdapter = {
  name: "telegram",

  access: (config) => sectionAccess(settings(config)),

  async verify({ request, config }) {
    const expected = settings(config).webhookSecretToken;
    // Without a configured secret anyone could post updates: refuse rather than accept everything.
    if (!expected) return false;
    return matchesSecret(request.headers.get("x-telegram-bot-api-secret-token") ?? "", expected);
  },

  async parse({ rawBody, config }) {
    let update: Update;
    try {
      update = JSON.parse(rawBody) as Update;
    } catch {
      return { kind: "ignore", reason: "body is not JSON" };
    }
    if (update.callback_query) {
      const pressed = parseCallbackQuery(update.callback_query, update.update_id);
      return pressed.ok ? { kind: "message", message: pressed.message, files: [] } : { kind: "ignore", reason: pressed.reason };
    }
    const bot = await telegramBot(settings(config));
    const parsed = parseTelegramUpdate(update, { id: bot.botInfo.id, username: bot.botInfo.username });
    return parsed.ok ? { kind: "message", message: parsed.message, files: parsed.files } : { kind: "ignore", reason: parsed.reason };
  },

  sessionKey: telegramSessionKey,

  /** A button press is answered at once (Telegram shows a spinner until then) and its keyboard removed. */
  async acknowledge({ config, message }) {
    const press = message.buttonPress;
    if (!press) return;
    const client = await api(config);
    await client.answerCallbackQuery(press.id);
    if (press.messageId) await client.editMessageReplyMarkup(message.chatId, Number(press.messageId), { reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
  },

  async downloadFiles({ env, config, files, workspaceId }) {
    const t = settings(config);
    const bot = await telegramBot(t);
    const refs: MediaRef[] = [];
    for (const file of files) {
      const info = await bot.api.getFile(file.id);
      if (!info.file_path) continue;
      const bytes = await fetchFile(`${t.apiRoot}/file/bot${t.token}/${info.file_path}`, {}, FILE_TIMEOUT_MS);
      const ref = await storeChannelFile(env.WORKSPACE, workspaceId, bytes, file.mimeType ?? "application/octet-stream", file.name ?? info.file_path.split("/").pop());
      refs.push(file.durationS === undefined ? ref : { ...ref, durationS: file.durationS });
    }
    return refs;
  },

  outbound: {
    turnHooks({ config, request, inboxId, ledger }) {
      const t = settings(config);
      const { chatId, threadId, messageId } = request.message;
      const client = api(config);
      const key = previewKey(request.sessionKey, inboxId);
      if (t.reactEmoji) void client.then((a) => setReaction(a, chatId, messageId, t.reactEmoji)).catch(() => undefined);
      const progress = progressSettings(config);
      const line = wantsStatusLine(progress) ? trackStatusLine(key, telegramStatusLine(client, { chatId, threadId }, t.streamEditIntervalMs)) : undefined;
      const status = line && progressHooks(progress, line, { streamsText: t.streaming });
      const stored = ledger?.get(PREVIEW);
      const preview = telegramTurnHooks({
        api: client,
        target: { chatId, threadId },
        key,
        intervalMs: t.streamEditIntervalMs,
        stream: t.streaming,
        messageId: stored ? Number(stored) : undefined,
        onMessageId: (id) => ledger?.set(PREVIEW, String(id)),
      });
      return composeHooks(preview, status);
    },

    async deliver({ env, config, request, reply, inboxId, ledger = memoryLedger() }) {
      const key = previewKey(request.sessionKey, inboxId);
      await finishStatusLine(key);
      // The preview of this isolate's run, or the one an earlier run sent before the object was reset.
      const stored = ledger.get(PREVIEW);
      const previewId = (await finishPreview(key)) ?? (stored ? Number(stored) : undefined);
      const media = reply.media ?? [];
      if (!reply.content.trim() && !media.length) return;
      const client = await api(config);
      const { chatId, threadId, isGroup, messageId } = request.message;
      const parts = reply.content.trim() ? splitForTelegram(reply.content) : [];
      // Text parts first, then each file; the ledger counts both, so a resumed delivery sends neither twice.
      for (let i = ledger.partsSent(); i < parts.length + media.length; i++) {
        if (i >= parts.length) await sendMediaFile(client, env.WORKSPACE, { chatId, threadId }, media[i - parts.length]);
        else {
          // The preview becomes the first part (unless the user deleted it).
          const edited = i === 0 && previewId !== undefined && (await editPart(client, chatId, previewId, parts[0]));
          // In groups the first part replies to the message it answers, so the thread stays readable.
          if (!edited) await sendPart(client, { chatId, threadId }, parts[i], i === 0 && isGroup ? messageId : undefined);
        }
        ledger.markPartsSent(i + 1);
      }
      const t = settings(config);
      // ✅ replaces 👀 (a bot has one reaction per message); commands never got the receipt mark.
      if (!reply.isCommand && t.reactEmoji) await setReaction(client, chatId, messageId, t.doneEmoji);
    },

    /** The text (buttons ride on its last part), then the files, as a reply with media is delivered. */
    async send({ env, config, target, text, media, buttons }) {
      const client = await api(config);
      if (buttons?.length && settings(config).inlineKeyboards) {
        const parts = splitForTelegram(text);
        for (let i = 0; i < parts.length; i++) await sendPart(client, target, parts[i], undefined, i === parts.length - 1 ? inlineKeyboard(buttons) : undefined);
      } else if (buttons?.length) await sendMarkdown(client, target, `${text}\n\n${buttonsAsText(buttons)}`);
      else if (text.trim()) await sendMarkdown(client, target, text);
      for (const ref of media ?? []) await sendMediaFile(client, env.WORKSPACE, target, ref);
    },

    features: { files: true, buttons: true },
  },

  async status({ config }) {
    const bot = await telegramBot(settings(config));
    const info = await bot.api.getWebhookInfo();
    return {
      bot: `@${bot.botInfo.username}`,
      mode: settings(config).mode,
      webhook: {
        url: info.url,
        pendingUpdates: info.pending_update_count,
        lastErrorDate: info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : null,
        lastErrorMessage: info.last_error_message ?? null,
        allowedUpdates: info.allowed_updates ?? null,
      },
    };
  },
};
