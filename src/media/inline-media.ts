import type { MediaRef } from "../session-protocol/inbound.ts";
import { bytesToBase64 } from "../sandbox/base64.ts";
import { workspacePathOf } from "../workspace/workspace-keys.ts";

/**
 * Channels whose readers take the reply from the turn's event stream (the API; the WebUI, whose outbound only
 * pushes turns nobody typed): they get produced images inline instead of a platform upload.
 */
export const INLINE_MEDIA_CHANNELS = new Set(["api", "websocket"]);

/**
 * Bytes of images inlined into one reply, all images together; the rest are named by path. The reply is stored
 * as one Durable Object SQLite row (≤ 2 MB) and base64 adds a third, so 768 KiB of images is ≈ 1 MB of text.
 */
export const INLINE_BUDGET_BYTES = 768 * 1024;

/**
 * For channels that read the reply from the turn's event stream (WebUI, API): produced images become
 * Markdown images with data URLs after the text, so any Markdown client shows them without another route.
 * `reply.media` still lists them for clients that fetch files themselves.
 */
export async function inlineMediaMarkdown(media: MediaRef[], bucket: R2Bucket): Promise<string> {
  const blocks: string[] = [];
  let budget = INLINE_BUDGET_BYTES;
  for (const ref of media) {
    const path = workspacePathOf(ref.key);
    const object = ref.mimeType.startsWith("image/") ? await bucket.get(ref.key) : null;
    const bytes = object ? new Uint8Array(await object.arrayBuffer()) : null;
    if (bytes && bytes.length <= budget) {
      budget -= bytes.length;
      blocks.push(`![${path}](data:${ref.mimeType};base64,${bytesToBase64(bytes)})`);
    } else blocks.push(`[File: ${path}]`);
  }
  return blocks.join("\n\n");
}
