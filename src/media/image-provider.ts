import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { base64ToBytes } from "../sandbox/base64.ts";
import { ToolError } from "../tools/types.ts";
import { httpFailure, mediaEndpoint } from "./endpoint.ts";

export interface GeneratedImage {
  bytes: Uint8Array;
  mimeType: string;
}

export interface ImageRequest {
  prompt: string;
  count: number;
  aspectRatio?: string;
  imageSize?: string;
  /** Images to edit from (bytes read from the workspace). */
  references: Array<GeneratedImage & { name: string }>;
}

const DEFAULT_MODELS = { workers_ai: "@cf/black-forest-labs/flux-1-schnell", openai: "gpt-image-1", openrouter: "openai/gpt-image-1", custom: "gpt-image-1" };

/** Image generation can take a while (large models, several images); beyond this the tool gives up. */
const CALL_TIMEOUT_MS = 120_000;

/**
 * OpenAI's `size`: an explicit `WxH` wins; otherwise the aspect ratio picks square, landscape or portrait
 * (the three sizes gpt-image models accept); nothing → the provider's default.
 */
export function openAiSize(aspectRatio?: string, imageSize?: string): string | undefined {
  if (imageSize && /^\d+x\d+$/.test(imageSize)) return imageSize;
  const m = aspectRatio ? /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(aspectRatio) : null;
  if (!m) return undefined;
  const ratio = Number(m[1]) / Number(m[2]);
  return ratio > 1.1 ? "1536x1024" : ratio < 0.9 ? "1024x1536" : "1024x1024";
}

/** Detects PNG/JPEG/WebP/GIF by their magic bytes (providers do not always say). */
export function imageMimeOf(bytes: Uint8Array): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[8] === 0x57) return "image/webp";
  if (bytes[0] === 0x47 && bytes[1] === 0x49) return "image/gif";
  return "image/png";
}

export async function generateImages(request: ImageRequest, config: Config, env: Env, signal: AbortSignal): Promise<GeneratedImage[]> {
  const settings = config.tools.imageGeneration;
  const model = settings.model || DEFAULT_MODELS[settings.provider];
  return settings.provider === "workers_ai" ? viaWorkersAi(request, model, env) : viaOpenAiCompatible(request, model, config, signal);
}

async function viaWorkersAi(request: ImageRequest, model: string, env: Env): Promise<GeneratedImage[]> {
  if (!env.AI) throw new ToolError('Workers AI is only bound in deployed Workers; locally set tools.imageGeneration.provider to "openai", "openrouter" or "custom" with an apiKey.');
  if (request.references.length) throw new ToolError(`reference_images are not supported by the Workers AI model ${model}; describe the changes in the prompt instead.`);
  const ai = env.AI as unknown as { run(m: string, i: unknown, o?: unknown): Promise<unknown> };
  const images: GeneratedImage[] = [];
  for (let i = 0; i < request.count; i++) {
    let output: unknown;
    try {
      // flux-1-schnell: {prompt, steps ≤ 8} → {image: base64 JPEG}; stable-diffusion models answer raw PNG bytes.
      output = await ai.run(model, { prompt: request.prompt, steps: 4 }, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (err) {
      throw new ToolError(`Workers AI ${model} failed: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`);
    }
    const bytes = await workersAiBytes(output);
    if (!bytes) throw new ToolError(`Workers AI ${model} returned no image.`);
    images.push({ bytes, mimeType: imageMimeOf(bytes) });
  }
  return images;
}

async function workersAiBytes(output: unknown): Promise<Uint8Array | null> {
  if (output instanceof ReadableStream) return new Uint8Array(await new Response(output).arrayBuffer());
  if (output instanceof Uint8Array) return output;
  const image = (output as { image?: unknown } | null)?.image;
  return typeof image === "string" ? base64ToBytes(image) : null;
}

async function viaOpenAiCompatible(request: ImageRequest, model: string, config: Config, signal: AbortSignal): Promise<GeneratedImage[]> {
  let endpoint;
  try {
    endpoint = mediaEndpoint(config, "tools.imageGeneration", config.tools.imageGeneration);
  } catch (err) {
    throw new ToolError((err as Error).message);
  }
  const size = openAiSize(request.aspectRatio, request.imageSize);
  const auth: Record<string, string> = endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {};
  let init: RequestInit;
  let path: string;
  if (request.references.length) {
    // Edits take the reference images as multipart `image[]` (OpenAI /images/edits).
    const form = new FormData();
    form.append("model", model);
    form.append("prompt", request.prompt);
    form.append("n", String(request.count));
    if (size) form.append("size", size);
    for (const ref of request.references) form.append("image[]", new File([ref.bytes as Uint8Array<ArrayBuffer>], ref.name, { type: ref.mimeType }));
    path = "/images/edits";
    init = { method: "POST", headers: auth, body: form };
  } else {
    path = "/images/generations";
    const body = { model, prompt: request.prompt, n: request.count, ...(size ? { size } : {}), response_format: "b64_json" };
    init = { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(body) };
  }
  let res: Response;
  try {
    res = await fetch(`${endpoint.apiBase}${path}`, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)]) });
  } catch (err) {
    throw new ToolError(`the image endpoint could not be reached (${String(err instanceof Error ? err.message : err).slice(0, 120)}).`);
  }
  if (!res.ok) throw new ToolError(`the image endpoint answered ${await httpFailure(res)}`);
  const json = (await res.json().catch(() => null)) as { data?: Array<{ b64_json?: string }> } | null;
  const images = (json?.data ?? []).filter((d) => typeof d.b64_json === "string").map((d) => base64ToBytes(d.b64_json!));
  if (!images.length) throw new ToolError("the image endpoint returned no b64_json image.");
  return images.map((bytes) => ({ bytes, mimeType: imageMimeOf(bytes) }));
}

