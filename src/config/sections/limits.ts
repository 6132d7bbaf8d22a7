import { z } from "zod";

const MB = 1024 * 1024;
const bytes = (fallback: number) => z.number().int().min(1024).default(fallback);

/**
 * Largest request body per route family, enforced while the body streams in (src/http/body-limit.ts).
 * `/v1/*` keeps its own `api.maxBodyBytes`.
 */
export const limitsSchema = z.strictObject({
  /** `/webhooks/*` and `/local/*`: one platform event (Telegram and Slack send a few KB). */
  webhookBodyBytes: bytes(1 * MB),
  /** `/webui/upload`: one file (10 MB, the upload limit) plus room for its multipart envelope. */
  uploadBodyBytes: bytes(10 * MB + 64 * 1024),
  /** `/triggers/*`: one automation message (kept to 16,000 characters). */
  triggerBodyBytes: bytes(64 * 1024),
  /** `/admin/*`, `/api/*` and every other route: small control requests. */
  controlBodyBytes: bytes(64 * 1024),
});

export type LimitsConfig = z.infer<typeof limitsSchema>;
