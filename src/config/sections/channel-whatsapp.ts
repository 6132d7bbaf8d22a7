import { z } from "zod";

const allowFrom = z.array(z.union([z.string(), z.number().transform(String)])).default([]);

/**
 * WhatsApp Business Cloud API (developers.facebook.com/docs/whatsapp/cloud-api). `allowFrom` lists senders by
 * their WhatsApp id (`wa_id`, the phone number in international format without "+").
 */
export const whatsappConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The business phone number's id (WhatsApp Manager → API Setup), not the phone number itself. */
  phoneNumberId: z.string().default(""),
  /** A system-user access token with whatsapp_business_messaging permission. */
  accessToken: z.string().default(""),
  /** The Meta app's secret: webhook deliveries are signed with it (X-Hub-Signature-256). */
  appSecret: z.string().default(""),
  /** Any string you choose; Meta sends it back when you register the webhook URL. */
  verifyToken: z.string().default(""),
  allowFrom,
  /** Graph API root including the version. */
  apiRoot: z.string().default("https://graph.facebook.com/v23.0"),
  /**
   * An approved message template for proactive messages (cron, heartbeat, the `message` tool) once the 24-hour
   * customer service window is closed: free-form text is refused then. The template's body must have one
   * `{{1}}` variable; it receives the message text. Empty `name` = no template: such messages are recorded as
   * not delivered (shown by /status and doctor).
   */
  template: z
    .strictObject({
      name: z.string().default(""),
      language: z.string().default("en_US"),
    })
    .prefault({}),
});

export type WhatsappConfig = z.infer<typeof whatsappConfigSchema>;
