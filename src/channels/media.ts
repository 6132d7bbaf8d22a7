import type { MediaRef } from "../session-protocol/inbound.ts";
import { workspaceKey } from "../workspace/workspace-keys.ts";

/** Largest file a channel copies into R2 (Telegram's getFile limit; DO rows never hold the bytes). */
export const MAX_CHANNEL_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Stores a file a user sent next to the workspace (`media/…`), where the model's file tools can read it and
 * images are turned into image parts for the model.
 */
export async function storeChannelFile(bucket: R2Bucket, workspaceId: string, bytes: ArrayBuffer, mimeType: string, name?: string): Promise<MediaRef> {
  const safe = (name ?? "file").replace(/[^A-Za-z0-9._-]/g, "_").slice(-80) || "file";
  const key = workspaceKey(workspaceId, `media/${crypto.randomUUID().slice(0, 8)}-${safe}`);
  await bucket.put(key, bytes, { httpMetadata: { contentType: mimeType } });
  return { key, mimeType, name };
}

/** Downloads with a deadline so a slow file host cannot hold the webhook past the platform's patience. */
export async function fetchFile(url: string, init: RequestInit, timeoutMs: number): Promise<ArrayBuffer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`download failed: HTTP ${res.status}`);
  const length = Number(res.headers.get("content-length") ?? 0);
  if (length > MAX_CHANNEL_FILE_BYTES) throw new Error(`file larger than ${MAX_CHANNEL_FILE_BYTES} bytes`);
  const bytes = await res.arrayBuffer();
  if (bytes.byteLength > MAX_CHANNEL_FILE_BYTES) throw new Error(`file larger than ${MAX_CHANNEL_FILE_BYTES} bytes`);
  return bytes;
}
