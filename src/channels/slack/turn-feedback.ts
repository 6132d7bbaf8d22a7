import type { SlackConfig } from "../../config/sections/channels.ts";
import type { ChatTarget } from "../outbound.ts";
import { createStatusLine, type StatusLine } from "../progress/status-line.ts";
import { escapeSlack } from "./markdown-to-mrkdwn.ts";
import { SlackApiError, slackApi } from "./slack-api.ts";

/** chat.update is a Tier 3 method (~50 calls a minute): one edit a second per turn stays under it. */
const STATUS_INTERVAL_MS = 1000;
/** Slack's 429 Retry-After is not passed up by slackApi; a pause of a few seconds is what it usually asks. */
const RATE_LIMIT_PAUSE_MS = 5000;

/** The turn's status line as one Slack message (in the conversation's thread): posted, updated, deleted at the end. */
export function slackStatusLine(slack: SlackConfig, target: ChatTarget): StatusLine {
  let ts: string | undefined;
  return createStatusLine({
    channel: "slack",
    intervalMs: STATUS_INTERVAL_MS,
    retryAfterMs: (err) => (err instanceof SlackApiError && err.code === "ratelimited" ? RATE_LIMIT_PAUSE_MS : null),
    sink: {
      async show(text) {
        const body = { channel: target.chatId, text: escapeSlack(text) };
        if (ts === undefined) {
          const posted = await slackApi<{ ts: string }>(slack, "chat.postMessage", { ...body, ...(target.threadId ? { thread_ts: target.threadId } : {}) }, { attempts: 1 });
          ts = posted.ts;
        } else await slackApi(slack, "chat.update", { ...body, ts }, { attempts: 1 });
      },
      async remove() {
        if (ts !== undefined) await slackApi(slack, "chat.delete", { channel: target.chatId, ts }, { attempts: 1 });
      },
    },
  });
}
