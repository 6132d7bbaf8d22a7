import { readDocx, readPptx, readXlsx } from "./read-ooxml.ts";
import { readPdf } from "./read-pdf.ts";
import { DocumentError, isZip, zipEntries } from "./zip-reader.ts";

export type DocumentKind = "pdf" | "docx" | "xlsx" | "pptx";

export interface ExtractedDocument {
  kind: DocumentKind;
  /** e.g. "PDF, 3 pages". */
  summary: string;
  /** Text with `--- Page N ---` / `--- Sheet: name ---` / `--- Slide N ---` markers; "" when there is none. */
  text: string;
  /** Said instead of text when there is none (a scanned PDF). */
  note?: string;
}

export { DocumentError };

/** Which document format the bytes are (by content, not by name: uploads are often stored as `.bin`). */
export function documentKind(bytes: Uint8Array): DocumentKind | null {
  if (bytes.length > 5 && String.fromCharCode(...bytes.subarray(0, 5)) === "%PDF-") return "pdf";
  if (!isZip(bytes)) return null;
  let parts: Map<string, unknown>;
  try {
    parts = zipEntries(bytes);
  } catch {
    return null;
  }
  if (parts.has("word/document.xml")) return "docx";
  if (parts.has("xl/workbook.xml")) return "xlsx";
  if (parts.has("ppt/presentation.xml")) return "pptx";
  return null;
}

/** Extracts the text of a PDF, DOCX, XLSX or PPTX; throws DocumentError for damaged or encrypted files. */
export async function extractDocument(bytes: Uint8Array, kind: DocumentKind): Promise<ExtractedDocument> {
  try {
    if (kind === "pdf") return await readPdf(bytes);
    const parts = zipEntries(bytes);
    if (kind === "docx") return await readDocx(bytes, parts);
    if (kind === "xlsx") return await readXlsx(bytes, parts);
    return await readPptx(bytes, parts);
  } catch (err) {
    if (err instanceof DocumentError) throw err;
    throw new DocumentError(`could not read this ${kind.toUpperCase()} (${(err as Error).message})`);
  }
}
