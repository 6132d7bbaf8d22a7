import { PdfDocument } from "./pdf-document.ts";
import type { FontDecoder } from "./pdf-fonts.ts";
import type { PdfDict } from "./pdf-lexer.ts";
import { pageText } from "./pdf-text.ts";
import type { ExtractedDocument } from "./read-document.ts";

/**
 * PDF → text with `--- Page N ---` markers. A PDF whose pages paint images but carry no text is a scan:
 * it has no text layer to read, and the result says so instead of returning nothing.
 */
export async function readPdf(bytes: Uint8Array): Promise<ExtractedDocument> {
  const doc = new PdfDocument(bytes);
  await doc.loadObjectStreams();
  const pages = doc.pages();
  const fonts = new Map<PdfDict, FontDecoder>();
  const parts: string[] = [];
  let images = 0;
  let withText = 0;
  for (const [i, { page, resources }] of pages.entries()) {
    const { text, images: painted } = await pageText(doc, page, resources, fonts);
    images += painted;
    if (text) withText++;
    parts.push(`--- Page ${i + 1} ---\n${text || "(no text on this page)"}`);
  }
  const summary = `PDF, ${pages.length} page${pages.length === 1 ? "" : "s"}`;
  if (withText === 0) {
    const why = images > 0
      ? "it looks scanned: its pages are images without a text layer, so there is no text to read (OCR is not available here)"
      : "it has no extractable text";
    return { kind: "pdf", summary, text: "", note: `(${summary}: ${why}.)` };
  }
  return { kind: "pdf", summary, text: parts.join("\n\n") };
}
