import { DocumentError, documentKind, extractDocument } from "./read-document.ts";
import { workspacePathOf } from "../workspace/workspace-keys.ts";

/** How much of an uploaded document goes straight into the user's message; read_file pages through the rest. */
export const ATTACHMENT_EXCERPT_CHARS = 4000;
// Workers have 128 MB per isolate; larger uploads are only referenced by path.
const MAX_EXTRACT_BYTES = 10 * 1024 * 1024;

const looksLikeDocument = (magic: Uint8Array) =>
  String.fromCharCode(...magic.subarray(0, 5)) === "%PDF-" || (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 3 && magic[3] === 4);

export interface StoredFile {
  key: string;
  mimeType: string;
  name?: string;
}

/**
 * Images go to the model as image parts; it is told their workspace paths too, so it can read_file them again
 * later, pass them to generate_image as references or to exec, in this turn or a later one.
 */
export function describeImages(files: StoredFile[]): string {
  return files.map((f) => `[Attached image: ${workspacePathOf(f.key)}${f.name ? ` (${f.name})` : ""}]`).join("\n");
}

/**
 * What the model is told about files the user sent (images aside): each file's workspace path, and for a
 * PDF/DOCX/XLSX/PPTX the start of its text, through the same reader read_file uses.
 */
export async function describeAttachments(bucket: R2Bucket, files: StoredFile[]): Promise<string> {
  const lines: string[] = [];
  for (const file of files) {
    const path = workspacePathOf(file.key);
    const label = `${path}${file.name ? ` (${file.name})` : ""}`;
    // Sniff the first bytes before loading a whole file: most attachments (audio, video, archives) are no document.
    const head = await bucket.get(file.key, { range: { offset: 0, length: 8 } });
    const magic = head ? new Uint8Array(await head.arrayBuffer()) : new Uint8Array();
    const object = head && head.size <= MAX_EXTRACT_BYTES && looksLikeDocument(magic) ? await bucket.get(file.key) : null;
    const bytes = object ? new Uint8Array(await object.arrayBuffer()) : null;
    const kind = bytes ? documentKind(bytes) : null;
    if (!bytes || !kind) {
      lines.push(`[Attached file: ${label}]`);
      continue;
    }
    try {
      const doc = await extractDocument(bytes, kind);
      if (!doc.text) {
        lines.push(`[Attached file: ${label}, ${doc.summary}] ${doc.note ?? ""}`.trim());
        continue;
      }
      const cut = doc.text.length > ATTACHMENT_EXCERPT_CHARS;
      const excerpt = cut ? doc.text.slice(0, ATTACHMENT_EXCERPT_CHARS) : doc.text;
      const more = cut ? `\n… (${doc.text.length} characters in all; read_file ${path} with offset/limit pages through the rest)` : "";
      lines.push(`[Attached file: ${label}, ${doc.summary}; its text:]\n${excerpt}${more}\n[End of ${path}]`);
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
      lines.push(`[Attached file: ${label}: cannot read it as a document: ${err.message}]`);
    }
  }
  return lines.join("\n\n");
}
