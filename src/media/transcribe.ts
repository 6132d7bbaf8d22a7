import type { TranscriptionConfig } from "../config/sections/media.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { bytesToBase64 } from "../sandbox/base64.ts";
import { isSplittableAudio, splitMp3 } from "./audio-chunks.ts";
import { httpFailure, mediaEndpoint } from "./endpoint.ts";

/** A transcription that did not happen; `message` is short and safe to show the model (never a key). */
export class TranscriptionError extends Error {
  override name = "TranscriptionError";
}

const DEFAULT_MODELS: Record<TranscriptionConfig["provider"], string> = {
  workers_ai: "@cf/openai/whisper-large-v3-turbo",
  openai: "whisper-1",
  groq: "whisper-large-v3",
  custom: "whisper-1",
};

/**
 * Bytes per request. OpenAI and Groq refuse uploads over 25 MB; Workers AI takes the audio base64 inside a
 * JSON body, so pieces stay small enough that one call finishes well within a request's time.
 */
const PIECE_BYTES: Record<TranscriptionConfig["provider"], number> = {
  workers_ai: 4 * 1024 * 1024,
  openai: 24 * 1024 * 1024,
  groq: 24 * 1024 * 1024,
  custom: 24 * 1024 * 1024,
};

/** One call per piece must not hold the turn forever. */
const CALL_TIMEOUT_MS = 60_000;

export interface AudioInput {
  bytes: Uint8Array;
  mimeType: string;
  name: string;
  /** Seconds, when the platform said (Telegram voice/audio); a Worker cannot measure it. */
  durationS?: number;
}

/**
 * The audio as text, or a TranscriptionError saying why not (too long, too large, provider refused).
 * `pieceBytes` overrides the provider's per-request size (tests use a small one to exercise splitting).
 */
export async function transcribeAudio(audio: AudioInput, config: Config, env: Env, pieceBytes?: number): Promise<string> {
  const settings = config.transcription;
  if (audio.durationS !== undefined && audio.durationS > settings.maxDurationSec)
    throw new TranscriptionError(`it is ${Math.round(audio.durationS)} s long, over the ${settings.maxDurationSec} s limit (transcription.maxDurationSec)`);
  if (audio.bytes.length > settings.maxUploadMb * 1024 * 1024)
    throw new TranscriptionError(`it is ${(audio.bytes.length / 1048576).toFixed(1)} MB, over the ${settings.maxUploadMb} MB limit (transcription.maxUploadMb)`);
  const limit = pieceBytes ?? PIECE_BYTES[settings.provider];
  const pieces = audio.bytes.length <= limit ? [audio.bytes] : isSplittableAudio(audio.mimeType, audio.name) ? splitMp3(audio.bytes, limit) : null;
  if (!pieces) throw new TranscriptionError(`it is larger than one ${settings.provider} request takes (${(limit / 1048576).toFixed(1)} MB) and ${audio.mimeType} cannot be split without decoding`);
  const model = settings.model || DEFAULT_MODELS[settings.provider];
  const texts: string[] = [];
  for (const piece of pieces) {
    texts.push(settings.provider === "workers_ai" ? await viaWorkersAi(piece, model, env) : await viaOpenAiCompatible(piece, audio, model, config));
  }
  return texts.map((t) => t.trim()).filter(Boolean).join(" ");
}

async function viaWorkersAi(bytes: Uint8Array, model: string, env: Env): Promise<string> {
  if (!env.AI) throw new TranscriptionError('Workers AI is only bound in deployed Workers; locally set transcription.provider to "groq", "openai" or "custom" with an apiKey');
  let output: unknown;
  try {
    // whisper-large-v3-turbo takes base64; the older @cf/openai/whisper takes a byte array.
    const input = model === "@cf/openai/whisper" || model === "@cf/openai/whisper-tiny-en" ? { audio: [...bytes] } : { audio: bytesToBase64(bytes) };
    output = await (env.AI as unknown as { run(m: string, i: unknown, o?: unknown): Promise<unknown> }).run(model, input, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  } catch (err) {
    throw new TranscriptionError(`Workers AI ${model} failed: ${String(err instanceof Error ? err.message : err).slice(0, 160)}`);
  }
  const text = (output as { text?: unknown } | null)?.text;
  if (typeof text !== "string") throw new TranscriptionError(`Workers AI ${model} returned no text`);
  return text;
}

async function viaOpenAiCompatible(bytes: Uint8Array, audio: AudioInput, model: string, config: Config): Promise<string> {
  let endpoint;
  try {
    endpoint = mediaEndpoint(config, "transcription", config.transcription);
  } catch (err) {
    throw new TranscriptionError((err as Error).message);
  }
  const form = new FormData();
  form.append("file", new File([bytes as Uint8Array<ArrayBuffer>], audio.name, { type: audio.mimeType }));
  form.append("model", model);
  form.append("response_format", "json");
  let res: Response;
  try {
    res = await fetch(`${endpoint.apiBase}/audio/transcriptions`, {
      method: "POST",
      headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
      body: form,
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (err) {
    throw new TranscriptionError(`the ${config.transcription.provider} transcription endpoint could not be reached (${String(err instanceof Error ? err.message : err).slice(0, 120)})`);
  }
  if (!res.ok) throw new TranscriptionError(`the ${config.transcription.provider} transcription endpoint answered ${await httpFailure(res)}`);
  const body = (await res.json().catch(() => null)) as { text?: unknown } | null;
  if (typeof body?.text !== "string") throw new TranscriptionError(`the ${config.transcription.provider} transcription endpoint returned no text`);
  return body.text;
}
