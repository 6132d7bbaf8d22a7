import { describe, expect, it } from "vitest";
import { documentKind, extractDocument } from "../../../src/documents/read-document.ts";
import { makeDocx, makePdf, makePptx, makeScannedPdf, makeXlsx } from "../../support/document-fixtures.ts";

describe("document text extraction", () => {
  it("should read every page of a pdf-lib PDF with page markers", async () => {
    const bytes = await makePdf([["Quarterly report", "Revenue grew 12%"], ["Second page (with parens) & more"]]);
    expect(documentKind(bytes)).toBe("pdf");
    const doc = await extractDocument(bytes, "pdf");
    expect(doc.summary).toBe("PDF, 2 pages");
    expect(doc.text).toBe("--- Page 1 ---\nQuarterly report\nRevenue grew 12%\n\n--- Page 2 ---\nSecond page (with parens) & more");
  });

  it("should say that a scanned PDF has no text layer", async () => {
    const doc = await extractDocument(await makeScannedPdf(), "pdf");
    expect(doc.text).toBe("");
    expect(doc.note).toMatch(/scanned.*without a text layer/);
  });

  it("should read DOCX paragraphs and tables", async () => {
    const bytes = makeDocx(["Hello &amp; welcome", "Second paragraph"], [["Name", "Qty"], ["Apples", "3"]]);
    expect(documentKind(bytes)).toBe("docx");
    const doc = await extractDocument(bytes, "docx");
    expect(doc.text).toBe("Hello & welcome\nSecond paragraph\nName | Qty\nApples | 3");
  });

  it("should read XLSX sheets with sheet markers and tab-separated cells", async () => {
    const bytes = makeXlsx({ Budget: [["Item", "Cost"], ["Rent", 1200]], Notes: [["ok"]] });
    expect(documentKind(bytes)).toBe("xlsx");
    const doc = await extractDocument(bytes, "xlsx");
    expect(doc.text).toBe("--- Sheet: Budget ---\nItem\tCost\nRent\t1200\n\n--- Sheet: Notes ---\nok");
  });

  it("should read PPTX slides in presentation order", async () => {
    const bytes = makePptx([["First file"], ["Second file", "more"]]);
    expect(documentKind(bytes)).toBe("pptx");
    const doc = await extractDocument(bytes, "pptx");
    expect(doc.text).toBe("--- Slide 1 ---\nSecond file\nmore\n\n--- Slide 2 ---\nFirst file");
  });

  it("should not take plain text or other zips for documents", () => {
    expect(documentKind(new TextEncoder().encode("a,b\n1,2\n"))).toBeNull();
  });
});
