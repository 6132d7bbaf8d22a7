import { z } from "zod";

/**
 * Email through Cloudflare Email Routing: mail to the routed address reaches the Worker's `email()` handler;
 * answers go back with `message.reply()`, messages nobody asked for through the `SEND_EMAIL` binding.
 * `allowFrom` lists sender addresses ("*" = anyone whose mail passes SPF/DKIM/DMARC).
 */
export const emailConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /**
   * nanobot's explicit opt-in: the agent reads mail and answers it only when this is true (mail can carry
   * anything; the owner decides to let an agent act on it).
   */
  consentGranted: z.boolean().default(false),
  /** The address answers come from: the Email Routing address mail is sent to (its domain must be on Cloudflare). */
  fromAddress: z.string().default(""),
  allowFrom: z.array(z.string()).default([]),
  /** Unused by Email Workers (no platform API to call); accepted so every channel section takes the same keys. */
  apiRoot: z.string().default(""),
  /**
   * How long the `email()` event waits for the answer to reply in the same thread with `message.reply()`.
   * A longer turn is answered by the session through the `SEND_EMAIL` binding instead (to verified addresses only).
   */
  replyWaitS: z.number().int().min(0).max(900).default(120),
  /** nanobot's limits: the body the model reads is cut after this many characters… */
  maxBodyChars: z.number().int().positive().default(12_000),
  /** …attachments larger than this (bytes; at most the 20 MB every channel stores) or beyond the count are skipped, and the model is told. */
  maxAttachmentSize: z.number().int().min(0).max(20 * 1024 * 1024).default(20 * 1024 * 1024),
  maxAttachmentsPerEmail: z.number().int().min(0).default(5),
});

export type EmailConfig = z.infer<typeof emailConfigSchema>;
