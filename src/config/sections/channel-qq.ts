import { z } from "zod";

const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

/** QQ official bot in webhook (HTTP callback) mode; nanobot's `appId` / `secret`. */
export const qqConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** AppID from q.qq.com → your bot → 开发设置 (Development settings). */
  appId: z.string().default(""),
  /** AppSecret (Bot Secret): gets access tokens and is the seed of the key that signs QQ's callbacks. */
  secret: z.string().default(""),
  /** User openids (C2C, group member) or guild user ids let in; "*" = everybody. */
  allowFrom,
  /** Group and guild-channel @-messages: QQ only delivers messages that @ the bot, so "mention" and "open" act alike. */
  groupPolicy: z.enum(["mention", "open", "allowlist"]).default("mention"),
  /** group_openid / guild channel / guild ids served under `groupPolicy: "allowlist"`. */
  groupAllowFrom: allowFrom,
  /** OpenAPI base (the sandbox is https://sandbox.api.sgroup.qq.com). */
  apiRoot: z.string().default("https://api.sgroup.qq.com"),
  /** getAppAccessToken URL; "" = QQ's own (https://bots.qq.com/app/getAppAccessToken), or `<apiRoot>/app/getAppAccessToken` when apiRoot is not QQ's. */
  tokenUrl: z.string().default(""),
});

export type QqConfig = z.infer<typeof qqConfigSchema>;
