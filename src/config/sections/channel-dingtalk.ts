import { z } from "zod";

const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

/**
 * DingTalk enterprise-internal app robot in HTTP mode (nanobot's keys; nanobot itself uses Stream mode).
 * Messages arrive at `POST /webhooks/dingtalk`; replies go to the message's sessionWebhook or the robot API.
 */
export const dingtalkConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Client ID (AppKey, also the robotCode) and Client Secret (AppSecret, also the callback signing key). */
  clientId: z.string().default(""),
  clientSecret: z.string().default(""),
  /** staffIds (userid) of people allowed to talk to the robot; "*" = everybody. */
  allowFrom,
  groupPolicy: z.enum(["mention", "open", "allowlist"]).default("mention"),
  /** Groups served under `groupPolicy: "allowlist"`, as `group:<conversationId>` (nanobot's chat id for a group). */
  groupAllowFrom: allowFrom,
  /** Base URL of DingTalk's new API (`/v1.0/…`); the legacy `oapi` host is derived from it. */
  apiRoot: z.string().default("https://api.dingtalk.com"),
});

export type DingtalkConfig = z.infer<typeof dingtalkConfigSchema>;
