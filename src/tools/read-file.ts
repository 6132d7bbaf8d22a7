import { z } from "zod";
import { extractCached } from "../documents/document-cache.ts";
import { DocumentError, documentKind } from "../documents/read-document.ts";
import { decodeText, sniffImage } from "../workspace/content-type.ts";
import { bundledSkillFile } from "../skills/skills-loader.ts";
import { PATH_HELP } from "./path-help.ts";
import { ToolError, defineTool } from "./types.ts";

const DEFAULT_LIMIT = 2000;
/** Caps one read so a single call cannot flood the context (nanobot uses the same figure). */
const MAX_OUTPUT_CHARS = 128_000;
// Workers have 128 MB of memory per isolate; a file is held in memory whole while it is read.
const MAX_FILE_BYTES = 10 * 1024 * 1024;
// Vision APIs reject larger inline images (Anthropic: 5 MB per image).
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Numbers lines `N| line` from `offset`, stopping at `limit` lines or the output cap, with a footer saying where to go on. */
export function formatLines(text: string, offset: number, limit: number): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const total = lines.length;
  if (offset > total) throw new ToolError(`offset ${offset} is beyond end of file (${total} lines)`);
  const out: string[] = [];
  let chars = 0;
  let last = offset - 1;
  for (let n = offset; n <= Math.min(total, offset + limit - 1); n++) {
    let line = `${n}| ${lines[n - 1]}`;
    if (chars + line.length + 1 > MAX_OUTPUT_CHARS) {
      if (out.length > 0) break;
      line = `${line.slice(0, MAX_OUTPUT_CHARS - 40)} … (line truncated)`;
    }
    out.push(line);
    chars += line.length + 1;
    last = n;
  }
  const footer =
    last < total
      ? `(Showing lines ${offset}-${last} of ${total}. Use offset=${last + 1} to continue.)`
      : `(End of file — ${total} lines total)`;
  return `${out.join("\n")}\n\n${footer}`;
}

export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a workspace file as numbered lines `N| line` (page with offset/limit); PDF/DOCX/XLSX/PPTX as text, or an image.",
  parameters: z.object({
    path: z.string().describe(PATH_HELP),
    offset: z.number().int().min(1).optional().describe("First line, 1-based (default 1)."),
    limit: z.number().int().min(1).optional().describe(`Max lines (default ${DEFAULT_LIMIT}).`),
  }),
  readOnly: true,
  async execute({ path, offset = 1, limit = DEFAULT_LIMIT }, { workspace }) {
    const entry = await workspace.stat(path);
    // Bundled skills live in the Worker, not in R2; the skills summary points at their workspace path.
    const bundled = entry ? null : bundledSkillFile(path);
    if (bundled !== null) return formatLines(bundled, offset, limit);
    if (!entry) throw new ToolError(`File not found: ${path}. Use list_dir to see which files exist.`);
    if (entry.isDirectory) throw new ToolError(`${path} is a directory, not a file. Use list_dir to see its contents.`);
    if (entry.size > MAX_FILE_BYTES) {
      throw new ToolError(`File too large to read (${mib(entry.size)} MiB). Maximum is ${mib(MAX_FILE_BYTES)} MiB.`);
    }
    const file = await workspace.readFile(path);
    if (!file) throw new ToolError(`File not found: ${path}. Use list_dir to see which files exist.`);
    if (file.size === 0) return `(Empty file: ${path})`;
    const bytes = new Uint8Array(file.body);
    const image = sniffImage(bytes);
    if (image) {
      if (bytes.length > MAX_IMAGE_BYTES) {
        throw new ToolError(`Image too large to attach (${mib(bytes.length)} MiB). Maximum is ${mib(MAX_IMAGE_BYTES)} MiB.`);
      }
      return [
        { type: "text", text: `(Image file: ${path}, ${image}, ${bytes.length} bytes)` },
        { type: "image", mimeType: image, data: toBase64(bytes) },
      ];
    }
    const kind = documentKind(bytes);
    if (kind) {
      try {
        const doc = await extractCached(`${workspace.id}\u0000${file.path}\u0000${file.etag}`, bytes, kind);
        if (!doc.text) return doc.note ?? `(${doc.summary}: no text found in ${path})`;
        return `[${doc.summary}; text extracted from ${path}]\n${formatLines(doc.text, offset, limit)}`;
      } catch (err) {
        if (err instanceof DocumentError) throw new ToolError(`Cannot read ${path}: ${err.message}.`);
        throw err;
      }
    }
    const text = decodeText(bytes);
    if (text === null) {
      throw new ToolError(
        `Cannot read ${path}: it is a binary file (${file.contentType ?? "unknown type"}, ${bytes.length} bytes). ` +
          "read_file reads text, PDF, DOCX, XLSX, PPTX and images.",
      );
    }
    if (text === "") return `(Empty file: ${path})`;
    return formatLines(text, offset, limit);
  },
});
