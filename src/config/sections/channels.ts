import { z } from "zod";

const groupPolicy = z.enum(["mention", "open", "allowlist"]).default("mention");
const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

export const telegramConfigSchema = z.object({
  enabled: z.boolean().default(false),
  token: z.string().default(""),
  webhookSecretToken: z.string().default(""),
  allowFrom,
  groupPolicy,
  apiRoot: z.string().default("https://api.telegram.org"),
  streaming: z.boolean().default(true),
});

export const slackConfigSchema = z.object({
  enabled: z.boolean().default(false),
  botToken: z.string().default(""),
  signingSecret: z.string().default(""),
  allowFrom,
  groupPolicy,
  apiRoot: z.string().default("https://slack.com/api"),
});

/** Known channels are validated; unknown channel names pass through for channel plugins. */
export const channelsSchema = z
  .looseObject({
    telegram: telegramConfigSchema.prefault({}),
    slack: slackConfigSchema.prefault({}),
  })
  .prefault({});

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;
export type SlackConfig = z.infer<typeof slackConfigSchema>;
