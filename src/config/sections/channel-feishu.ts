import { z } from "zod";

const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

/**
 * Feishu / Lark custom app in webhook mode (nanobot's keys; nanobot itself holds a WebSocket). Events arrive
 * at `POST /webhooks/feishu`; replies go through the open platform API with a tenant_access_token.
 */
export const feishuConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** App ID (`cli_…`) and App Secret: Developer Console → your app → Credentials & Basic Info. */
  appId: z.string().default(""),
  appSecret: z.string().default(""),
  /** Events & Callbacks → Encryption Strategy. With an Encrypt Key every event is signed and AES-encrypted. */
  encryptKey: z.string().default(""),
  verificationToken: z.string().default(""),
  /** open ids (`ou_…`) of people allowed to talk to the bot; "*" = everybody. */
  allowFrom,
  groupPolicy: z.enum(["mention", "open", "allowlist"]).default("mention"),
  /** Group chat ids (`oc_…`) served under `groupPolicy: "allowlist"`. */
  groupAllowFrom: allowFrom,
  /** "feishu" (open.feishu.cn, China) or "lark" (open.larksuite.com, international). */
  domain: z.enum(["feishu", "lark"]).default("feishu"),
  /** Stream the answer into one card, updated as it is written (nanobot's `streaming`); off = one card at the end. */
  streaming: z.boolean().default(true),
  /** Open platform base URL; "" = the one `domain` names. */
  apiRoot: z.string().default(""),
});

export type FeishuConfig = z.infer<typeof feishuConfigSchema>;
