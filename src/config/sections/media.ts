import { z } from "zod";

/**
 * Voice notes and audio files are transcribed before the turn (nanobot's top-level `transcription`).
 * `workers_ai` runs Whisper through the AI binding (no key; deployed Workers only). The others post to an
 * OpenAI-compatible `{apiBase}/audio/transcriptions`; an empty apiKey/apiBase falls back to
 * `providers.<provider>` and then to the provider's public endpoint.
 */
export const transcriptionSchema = z.strictObject({
  provider: z.enum(["workers_ai", "openai", "groq", "custom"]).default("workers_ai"),
  /** "" = the provider's default (@cf/openai/whisper-large-v3-turbo, whisper-1, whisper-large-v3). */
  model: z.string().default(""),
  apiKey: z.string().default(""),
  apiBase: z.string().default(""),
  /** Longer audio (where the platform tells the duration) is not sent; the model is told why. nanobot: 120. */
  maxDurationSec: z.number().int().min(1).max(600).default(120),
  /** Larger files are not sent; the model is told why. nanobot: 25 (OpenAI's own upload limit). */
  maxUploadMb: z.number().int().min(1).max(100).default(25),
});

/**
 * The `generate_image` tool (nanobot's `tools.imageGeneration`), off by default. `workers_ai` uses an image
 * model through the AI binding (deployed only); the others post to an OpenAI-compatible
 * `{apiBase}/images/generations` (b64_json). Empty apiKey/apiBase fall back to `providers.<provider>`.
 */
export const imageGenerationSchema = z.strictObject({
  enabled: z.boolean().default(false),
  provider: z.enum(["workers_ai", "openai", "openrouter", "custom"]).default("workers_ai"),
  /** "" = the provider's default (@cf/black-forest-labs/flux-1-schnell, gpt-image-1). */
  model: z.string().default(""),
  apiKey: z.string().default(""),
  apiBase: z.string().default(""),
});

export type TranscriptionConfig = z.infer<typeof transcriptionSchema>;
export type ImageGenerationConfig = z.infer<typeof imageGenerationSchema>;
