import type { MediaRef } from "../session-protocol/inbound.ts";
import { openAiError } from "./openai-error.ts";
import { workspaceKey } from "../workspace/workspace-keys.ts";

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const EXTENSIONS: Record<string, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

function decodeBase64(data: string): Uint8Array {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Uploaded media lives in R2 next to the workspace, so the model (and later turns) can see it again. */
export async function storeMedia(bucket: R2Bucket, workspaceId: string, bytes: Uint8Array | ArrayBuffer, mimeType: string, name?: string): Promise<MediaRef> {
  const size = bytes instanceof ArrayBuffer ? bytes.byteLength : bytes.length;
  if (size > MAX_IMAGE_BYTES) throw openAiError(413, `File ${name ?? ""} is larger than 10 MB.`.replace("  ", " "), "invalid_request_error", "file_too_large");
  const ext = EXTENSIONS[mimeType] ?? "bin";
  const key = workspaceKey(workspaceId, `media/${crypto.randomUUID()}.${ext}`);
  await bucket.put(key, bytes, { httpMetadata: { contentType: mimeType } });
  return { key, mimeType, name };
}

/** `data:image/png;base64,…` → stored media; remote URLs are refused (the gateway does not fetch for clients). */
export async function storeDataUrl(bucket: R2Bucket, workspaceId: string, url: string): Promise<MediaRef> {
  const match = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i.exec(url);
  if (!match) {
    throw openAiError(
      400,
      "Only base64 data: URLs are supported for images (remote image URLs are not fetched). Send data:image/png;base64,… or use multipart upload.",
      "invalid_request_error",
      "unsupported_image_url",
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(match[2].replace(/\s/g, ""));
  } catch {
    throw openAiError(400, "The image data URL is not valid base64.", "invalid_request_error", "invalid_image");
  }
  return storeMedia(bucket, workspaceId, bytes, match[1].toLowerCase());
}
