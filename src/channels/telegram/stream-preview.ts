import type { Api } from "grammy";
import type { AgentHooks } from "../../agent/hooks.ts";
import type { ChatTarget } from "../outbound.ts";
import { isNotModified, retryAfterOf } from "./bot.ts";
import { TELEGRAM_MAX_CHARS } from "./send.ts";
import { finishStreamedMessage, startStreamedMessage } from "../progress/streamed-message.ts";

/** Telegram shows "typing…" for about 5 seconds per chat action. */
const TYPING_REFRESH_MS = 4_500;

export const previewKey = (sessionKey: string, inboxId: number) => `${sessionKey}#${inboxId}`;

/**
 * Typing indicator and streamed replies for one turn. The preview is one message edited at most every
 * `intervalMs` (the first appears only after one interval, so quick answers arrive as a single message
 * with no flicker); a 429 pauses edits for `retry_after`. `finishPreview` hands the message to delivery.
 */
export function telegramTurnHooks(args: {
  api: Promise<Api>;
  target: ChatTarget;
  key: string;
  intervalMs: number;
  stream: boolean;
  /** The preview message an earlier run of this turn sent (before the object was reset): edited, not sent again. */
  messageId?: number;
  /** Called once the preview message exists, so the session can store its id before the next edit. */
  onMessageId?: (id: number) => void;
}): AgentHooks {
  const { target, key, intervalMs } = args;
  let lastTyping = 0;
  const typing = () => {
    if (Date.now() - lastTyping < TYPING_REFRESH_MS) return;
    lastTyping = Date.now();
    void args.api
      .then((api) => api.sendChatAction(target.chatId, "typing", target.threadId ? { message_thread_id: Number(target.threadId) } : {}))
      .catch((err) => console.log(JSON.stringify({ event: "telegram_typing_failed", error: String(err).slice(0, 200) })));
  };
  typing();
  if (!args.stream) return { beforeIteration: typing, beforeTool: typing };

  const preview = startStreamedMessage<number>({
    key,
    intervalMs,
    maxChars: TELEGRAM_MAX_CHARS,
    messageId: args.messageId,
    onMessageId: args.onMessageId,
    async send(text) {
      const api = await args.api;
      return (await api.sendMessage(target.chatId, text, target.threadId ? { message_thread_id: Number(target.threadId) } : {})).message_id;
    },
    async edit(id, text) {
      try {
        await (await args.api).editMessageText(target.chatId, id, text);
      } catch (err) {
        if (!isNotModified(err)) throw err;
      }
    },
    retryAfterMs: (err) => {
      const seconds = retryAfterOf(err);
      return seconds === null ? null : seconds * 1000;
    },
    failureEvent: "telegram_preview_failed",
  });
  return { beforeIteration: typing, beforeTool: typing, onDelta: (text) => preview.append(text) };
}

/** Stops a turn's preview and returns its message id (to be edited into the final reply), if one was sent. */
export const finishPreview = (key: string) => finishStreamedMessage<number>(key);
