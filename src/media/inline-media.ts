import type { MediaRef } from "../session/inbound.ts";
import { bytesToBase64 } from "../sandbox/base64.ts";
import { workspacePathOf } from "./transcribe-message.ts";

/**
 * Channels whose readers take the reply from the turn's event stream (the API; the WebUI, whose outbound only
 * pushes turns nobody typed): they get produced images inline instead of a platform upload.
 */
export const INLINE_MEDIA_CHANNELS = new Set(["api", "websocket"]);

/** Larger images are named by path instead: a data URL this big would bloat every stream event and stored reply. */
const INLINE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * For channels that read the reply from the turn's event stream (WebUI, API): produced images become
 * Markdown images with data URLs after the text, so any Markdown client shows them without another route.
 * `reply.media` still lists them for clients that fetch files themselves.
 */
export async function inlineMediaMarkdown(media: MediaRef[], bucket: R2Bucket): Promise<string> {
  const blocks: string[] = [];
  for (const ref of media) {
    const path = workspacePathOf(ref.key);
    const object = ref.mimeType.startsWith("image/") ? await bucket.get(ref.key) : null;
    const bytes = object ? new Uint8Array(await object.arrayBuffer()) : null;
    if (bytes && bytes.length <= INLINE_MAX_BYTES) blocks.push(`![${path}](data:${ref.mimeType};base64,${bytesToBase64(bytes)})`);
    else blocks.push(`[File: ${path}]`);
  }
  return blocks.join("\n\n");
}
