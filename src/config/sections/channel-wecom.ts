import { z } from "zod";

/**
 * WeCom (企业微信) self-built app in callback mode: the app's "Receive messages" URL points at
 * `/webhooks/wecom`; replies go out through the app's message API. Names as nanobot's and WeCom's console use them.
 */
export const wecomConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The company's Corp ID (My Company → Company Information); also the receive id inside every encrypted callback. */
  corpId: z.string().default(""),
  /** The self-built app's AgentId. */
  agentId: z.union([z.string(), z.number().transform(String)]).default(""),
  /** The app's Secret, exchanged for an access token (`gettoken`). */
  secret: z.string().default(""),
  /** The callback Token (API receive settings): signs every callback. */
  token: z.string().default(""),
  /** The callback EncodingAESKey (43 characters): decrypts every callback. */
  encodingAesKey: z.string().default(""),
  /** WeCom user ids (or pairing) allowed to talk to the bot; an app callback only carries direct messages. */
  allowFrom: z.array(z.union([z.string(), z.number().transform(String)])).default([]),
  apiRoot: z.string().default("https://qyapi.weixin.qq.com"),
  /** Replies as WeCom Markdown (rendered in the WeCom client); false = plain text, for WeChat-plugin users. */
  markdown: z.boolean().default(true),
});

export type WecomConfig = z.infer<typeof wecomConfigSchema>;
