import type { MediaRef } from "../session-protocol/inbound.ts";
import { contentTypeFor } from "../workspace/content-type.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { ToolError } from "./types.ts";
import { workspaceKey } from "../workspace/workspace-keys.ts";

/** Telegram bots may upload documents up to 50 MB; the whole file is held in the isolate's 128 MB while it is sent. */
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/**
 * The `message` tool's `media` paths → R2 references the channels send from (the same MediaRef a generated
 * image or an upload has); every path goes through the workspace boundary, and the file must exist.
 */
export async function loadAttachments(workspace: Workspace, paths: string[]): Promise<MediaRef[]> {
  const files: MediaRef[] = [];
  for (const path of paths) {
    const entry = await workspace.stat(path);
    if (!entry || entry.isDirectory) throw new ToolError(`File not found: ${path}. media takes workspace file paths; use list_dir to see which files exist.`);
    if (entry.size > MAX_ATTACHMENT_BYTES) throw new ToolError(`${path} is too large to send (${entry.size} bytes; the limit is ${MAX_ATTACHMENT_BYTES}).`);
    // The type from the name only: the channel reads the bytes once when it sends them, and sniffs images there.
    const mimeType = contentTypeFor(path, false);
    files.push({ key: workspaceKey(workspace.id, workspace.resolvePath(path)), name: path.split("/").pop() || "file", mimeType });
  }
  return files;
}
