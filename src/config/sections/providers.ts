import { z } from "zod";

export const providerConfigSchema = z.strictObject({
  apiKey: z.string().default(""),
  apiBase: z.string().nullable().default(null),
  extraHeaders: z.record(z.string(), z.string()).default({}),
  /** Merged into every request body (provider-specific switches). */
  extraBody: z.record(z.string(), z.unknown()).default({}),
  /** For a custom name that is not in the registry: which backend speaks to it. */
  backend: z.enum(["openai", "anthropic"]).optional(),
});

/** Keys are registry names (`openrouter`, `lm_studio`, …) or any custom OpenAI-compatible provider name. */
export const providersSchema = z.record(z.string(), providerConfigSchema).default({});

export type ProviderConfig = z.infer<typeof providerConfigSchema>;
