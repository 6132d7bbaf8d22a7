import { dingtalkChannel } from "../channels/dingtalk/dingtalk-channel.ts";
import { discordChannel } from "../channels/discord/discord-channel.ts";
import { emailChannel } from "../channels/email/email-channel.ts";
import { feishuChannel } from "../channels/feishu/feishu-channel.ts";
import type { ChannelOutbound, Outbounds } from "../channels/outbound.ts";
import { qqChannel } from "../channels/qq/qq-channel.ts";
import { slackChannel } from "../channels/slack/slack-channel.ts";
import { telegramChannel } from "../channels/telegram/telegram-channel.ts";
import type { ChannelAdapter } from "../channels/types.ts";
import { wecomChannel } from "../channels/wecom/wecom-channel.ts";
import { whatsappChannel } from "../channels/whatsapp/whatsapp-channel.ts";
import { subagentAnnounce } from "../subagents/announce.ts";
import { SUBAGENT_CHANNEL } from "../subagents/types.ts";
import { websocketOutbound } from "../webui/websocket-outbound.ts";

/**
 * Every chat platform the Worker serves: one folder under src/channels/ and one line here. The app routes
 * `/webhooks/:channel` and `/admin/channels` from this list; the session object delivers replies through
 * their outbounds (OUTBOUNDS below).
 */
export const CHANNELS: readonly ChannelAdapter[] = [
  telegramChannel,
  slackChannel,
  wecomChannel,
  feishuChannel,
  dingtalkChannel,
  qqChannel,
  discordChannel,
  whatsappChannel,
  emailChannel,
];

/**
 * Outbound sides without a webhook adapter: the WebUI (its hub pushes to open tabs) and subagents (a
 * finished task is announced to its parent session).
 */
const OTHER_OUTBOUNDS: ReadonlyArray<readonly [string, ChannelOutbound]> = [
  ["websocket", websocketOutbound],
  [SUBAGENT_CHANNEL, subagentAnnounce],
];

export const OUTBOUNDS: Outbounds = new Map([...CHANNELS.map((c) => [c.name, c.outbound] as const), ...OTHER_OUTBOUNDS]);
