import type { Api } from "grammy";
import type { AgentHooks } from "../../agent/hooks.ts";
import type { ChatTarget } from "../outbound.ts";
import { isNotModified, retryAfterOf } from "./bot.ts";
import { TELEGRAM_MAX_CHARS } from "./send.ts";

/** Telegram shows "typing…" for about 5 seconds per chat action. */
const TYPING_REFRESH_MS = 4_500;

interface Preview {
  messageId?: number;
  text: string;
  shown: string;
  nextEditAt: number;
  timer?: ReturnType<typeof setTimeout>;
  chain: Promise<void>;
  finished: boolean;
}

/** Streamed previews of running turns in this isolate, keyed by session and inbox id. */
const previews = new Map<string, Preview>();

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

  const preview: Preview = { messageId: args.messageId, text: "", shown: "", nextEditAt: Date.now() + intervalMs, chain: Promise.resolve(), finished: false };
  previews.set(key, preview);
  const flush = () => {
    preview.timer = undefined;
    preview.chain = preview.chain.then(async () => {
      if (preview.finished) return;
      // A delta that arrived while the previous edit was in flight queued this flush early: wait out the interval.
      if (Date.now() < preview.nextEditAt) return schedule();
      const snapshot = preview.text.slice(0, TELEGRAM_MAX_CHARS);
      if (!snapshot.trim() || snapshot === preview.shown) return;
      const api = await args.api;
      try {
        if (preview.messageId === undefined) {
          const sent = await api.sendMessage(target.chatId, snapshot, target.threadId ? { message_thread_id: Number(target.threadId) } : {});
          preview.messageId = sent.message_id;
          args.onMessageId?.(sent.message_id);
        } else {
          await api.editMessageText(target.chatId, preview.messageId, snapshot);
        }
        preview.shown = snapshot;
        preview.nextEditAt = Date.now() + intervalMs;
      } catch (err) {
        const retryAfter = retryAfterOf(err);
        if (retryAfter !== null) preview.nextEditAt = Date.now() + retryAfter * 1000;
        else if (!isNotModified(err)) console.log(JSON.stringify({ event: "telegram_preview_failed", error: String(err).slice(0, 200) }));
      }
      schedule();
    });
  };
  const schedule = () => {
    if (preview.finished || preview.timer || preview.text === preview.shown) return;
    preview.timer = setTimeout(flush, Math.max(0, preview.nextEditAt - Date.now()));
  };
  return {
    beforeIteration: typing,
    beforeTool: typing,
    onDelta(text) {
      preview.text += text;
      schedule();
    },
  };
}

/** Stops a turn's preview and returns its message id (to be edited into the final reply), if one was sent. */
export async function finishPreview(key: string): Promise<number | undefined> {
  const preview = previews.get(key);
  if (!preview) return undefined;
  preview.finished = true;
  if (preview.timer) clearTimeout(preview.timer);
  await preview.chain;
  previews.delete(key);
  return preview.messageId;
}
