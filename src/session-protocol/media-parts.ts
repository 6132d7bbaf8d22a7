import type { ContentPart } from "../providers/types.ts";
import type { MediaRef } from "./inbound.ts";

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: String.fromCharCode with a whole image as arguments overflows the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Images from R2 as model content parts; missing objects are skipped. */
export async function loadImageParts(bucket: R2Bucket, media: MediaRef[]): Promise<ContentPart[]> {
  const parts: ContentPart[] = [];
  for (const ref of media.filter((m) => m.mimeType.startsWith("image/"))) {
    const obj = await bucket.get(ref.key);
    if (obj) parts.push({ type: "image", mimeType: ref.mimeType, data: toBase64(new Uint8Array(await obj.arrayBuffer())) });
  }
  return parts;
}
