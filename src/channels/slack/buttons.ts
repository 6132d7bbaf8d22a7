import type { InboundMessage } from "../../session-protocol/inbound.ts";
import { markdownToMrkdwn } from "./markdown-to-mrkdwn.ts";

/** Slack limits: a section's text to 3,000 characters, a button's text to 75, its value to 2,000, 25 elements per actions block. */
const SECTION_CHARS = 3000;
const LABEL_CHARS = 75;
const VALUE_CHARS = 2000;
const PER_ROW = 25;

/**
 * Text sent with buttons is split into parts this long: the last part becomes the section (≤ 3,000 characters
 * after the mrkdwn conversion, which can lengthen links), and a longer one would be cut off there.
 */
export const BUTTON_TEXT_PART_CHARS = 2_500;

/** A text with rows of buttons as Block Kit: the text as a section, each row as an actions block. */
export function buttonBlocks(markdown: string, buttons: string[][]): Array<Record<string, unknown>> {
  const blocks: Array<Record<string, unknown>> = [{ type: "section", text: { type: "mrkdwn", text: markdownToMrkdwn(markdown).slice(0, SECTION_CHARS) } }];
  buttons.forEach((row, r) => {
    if (!row.length) return;
    blocks.push({
      type: "actions",
      block_id: `nanobot_buttons_${r}`,
      elements: row.slice(0, PER_ROW).map((label, i) => ({
        type: "button",
        action_id: `nanobot_button_${r}_${i}`,
        text: { type: "plain_text", text: label.slice(0, LABEL_CHARS) },
        value: label.slice(0, VALUE_CHARS),
      })),
    });
  });
  return blocks;
}

/** The parts of an interactivity `block_actions` payload we read. */
export interface BlockActionsPayload {
  type: string;
  user?: { id: string; username?: string; name?: string };
  channel?: { id: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts: string; thread_ts?: string };
  actions?: Array<{ action_id: string; value?: string; action_ts: string; type: string }>;
}

/**
 * A button press → the channel-neutral message: the button's value (its label) is the text, in the
 * conversation the buttons were posted in (the same thread, so the same session).
 */
export function parseBlockActions(payload: BlockActionsPayload): { ok: true; message: InboundMessage } | { ok: false; reason: string } {
  const action = payload.actions?.find((a) => a.type === "button" && a.value);
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  if (!action || !channel || !payload.user) return { ok: false, reason: "block_actions without a button value" };
  const threadId = payload.message?.thread_ts ?? payload.container?.thread_ts;
  return {
    ok: true,
    message: {
      channel: "slack",
      chatId: channel,
      senderId: payload.user.id,
      senderName: payload.user.name ?? payload.user.username,
      text: action.value!,
      threadId,
      isGroup: !channel.startsWith("D"),
      mentionsBot: true,
      // Slack has no event id for interactions; the action's timestamp and user identify this press.
      eventId: `action:${payload.user.id}:${action.action_ts}`,
      buttonPress: { id: action.action_id, messageId: payload.message?.ts ?? payload.container?.message_ts },
    },
  };
}
