import { z } from "zod";
import { knownChat, lastActiveChat } from "../channels/last-active.ts";
import { buttonsAsText, type ChatTarget } from "../channels/outbound.ts";
import { loadAttachments } from "./message-media.ts";
import { ToolError, defineTool } from "./types.ts";

/** Thread of a session key, so a message to the current chat lands in its thread or forum topic. */
function threadOf(sessionKey: string): string | undefined {
  return /^telegram:[^:]+:topic:(.+)$/.exec(sessionKey)?.[1] ?? /^slack:[^:]+:(.+)$/.exec(sessionKey)?.[1];
}

/**
 * `message(content, channel?, chat_id?, media?, buttons?)`: sends a message now, through the same outbound
 * path replies take. Default target is the current chat; a channel alone means the chat this workspace was
 * last active in there. Only chats the workspace has talked in can be reached. `media` are workspace files
 * (images arrive as photos); `buttons` are rows of labels, and a press comes back as the user's next message.
 */
export const messageTool = defineTool({
  name: "message",
  description:
    "Send a message to the user right away (progress notes, reminders, results of background work). Defaults to the current chat; give channel (and chat_id) to reach another chat you have talked in.",
  parameters: z.object({
    content: z.string().min(1).describe("The message text (Markdown)."),
    channel: z.string().optional().describe("Channel such as telegram or slack (default: the current chat's channel)."),
    chat_id: z.string().optional().describe("Chat id on that channel (default: the current chat, else the chat last active on that channel)."),
    media: z.array(z.string().min(1)).max(10).optional().describe("Workspace files to attach (images are sent as photos, other files as documents)."),
    buttons: z
      .array(z.array(z.string().min(1).max(64)).min(1))
      .max(10)
      .optional()
      .describe('Rows of button labels, e.g. [["Yes", "No"]]. A press arrives as the user\'s next message (the label).'),
  }),
  async execute(args, ctx) {
    const channel = args.channel ?? ctx.origin.channel;
    const outbound = ctx.outbounds?.get(channel);
    if (!outbound?.send) throw new ToolError(`channel '${channel}' cannot receive messages from the agent. Use telegram or slack, or answer in your reply instead.`);
    if (args.media?.length && !outbound.features?.files) throw new ToolError(`channel '${channel}' cannot receive files from the agent; send the text only, or use telegram or slack.`);
    const media = args.media?.length ? await loadAttachments(ctx.workspace, args.media) : undefined;
    const current = channel === ctx.origin.channel && (!args.chat_id || args.chat_id === ctx.origin.chatId);
    let target: ChatTarget;
    if (current) {
      target = { chatId: ctx.origin.chatId, threadId: threadOf(ctx.sessionKey) };
    } else {
      const chat = args.chat_id ? await knownChat(ctx.env.DB, ctx.workspace.id, channel, args.chat_id) : await lastActiveChat(ctx.env.DB, ctx.workspace.id, channel);
      if (!chat) {
        throw new ToolError(
          args.chat_id ? `unknown chat ${channel}:${args.chat_id}; messages can only go to chats this agent has talked in.` : `no chat on ${channel} has talked to this agent yet.`,
        );
      }
      target = { chatId: chat.chatId, threadId: threadOf(chat.sessionKey) };
    }
    const buttons = args.buttons?.length ? args.buttons : undefined;
    // Without native buttons the choices still reach the user, listed under the text (nanobot's fallback).
    const text = buttons && !outbound.features?.buttons ? `${args.content}\n\n${buttonsAsText(buttons)}` : args.content;
    await outbound.send({ env: ctx.env, config: ctx.config, target, text, media, buttons: outbound.features?.buttons ? buttons : undefined });
    const labels = buttons?.flat().length ?? 0;
    return `Message sent to ${channel}:${target.chatId}${media ? ` with ${media.length} attachments` : ""}${labels ? ` with ${labels} button(s)` : ""}`;
  },
});
