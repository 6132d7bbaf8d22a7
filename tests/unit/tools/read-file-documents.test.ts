import { describe, expect, it } from "vitest";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { makeDocx, makePdf, makePptx, makeScannedPdf, makeXlsx } from "../../support/document-fixtures.ts";
import { freshWorkspace, runText } from "./harness.ts";

describe("read_file on documents", () => {
  it("should page through a PDF with offset/limit like a text file", async () => {
    const ws = freshWorkspace("pdf");
    const pages = Array.from({ length: 3 }, (_, p) => Array.from({ length: 5 }, (_, l) => `page ${p + 1} line ${l + 1}`));
    // Stored under a neutral name, as API uploads are (`media/<uuid>.bin`): the content decides.
    await ws.writeFile("media/upload.bin", await makePdf(pages));
    const first = await runText(readFileTool, { path: "media/upload.bin", limit: 6 }, ws);
    expect(first).toBe(
      "[PDF, 3 pages; text extracted from media/upload.bin]\n" +
        "1| --- Page 1 ---\n2| page 1 line 1\n3| page 1 line 2\n4| page 1 line 3\n5| page 1 line 4\n6| page 1 line 5\n\n" +
        "(Showing lines 1-6 of 20. Use offset=7 to continue.)",
    );
    const next = await runText(readFileTool, { path: "media/upload.bin", offset: 7, limit: 7 }, ws);
    expect(next).toContain("8| --- Page 2 ---\n9| page 2 line 1");
    expect(next).toContain("(Showing lines 7-13 of 20. Use offset=14 to continue.)");
    const rest = await runText(readFileTool, { path: "/workspace/media/upload.bin", offset: 14 }, ws);
    expect(rest).toContain("20| page 3 line 5\n\n(End of file — 20 lines total)");
  });

  it("should say a scanned PDF has no text layer instead of returning nothing", async () => {
    const ws = freshWorkspace("scan");
    await ws.writeFile("scan.pdf", await makeScannedPdf());
    expect(await runText(readFileTool, { path: "scan.pdf" }, ws)).toBe(
      "(PDF, 1 page: it looks scanned: its pages are images without a text layer, so there is no text to read (OCR is not available here).)",
    );
  });

  it("should read DOCX, XLSX and PPTX with their markers, and CSV as text", async () => {
    const ws = freshWorkspace("office");
    await ws.writeFile("a.docx", makeDocx(["Dear Sam,", "See you soon."]));
    await ws.writeFile("b.xlsx", makeXlsx({ Q1: [["month", "sales"], ["Jan", 10]] }));
    await ws.writeFile("c.pptx", makePptx([["Welcome"]]));
    await ws.writeFile("d.csv", "month,sales\nJan,10\n");
    expect(await runText(readFileTool, { path: "a.docx" }, ws)).toBe(
      "[Word document; text extracted from a.docx]\n1| Dear Sam,\n2| See you soon.\n\n(End of file — 2 lines total)",
    );
    expect(await runText(readFileTool, { path: "b.xlsx" }, ws)).toContain("1| --- Sheet: Q1 ---\n2| month\tsales\n3| Jan\t10");
    expect(await runText(readFileTool, { path: "c.pptx" }, ws)).toContain("1| --- Slide 1 ---\n2| Welcome");
    expect(await runText(readFileTool, { path: "d.csv" }, ws)).toBe("1| month,sales\n2| Jan,10\n\n(End of file — 2 lines total)");
  });

  it("should explain a damaged document", async () => {
    const ws = freshWorkspace("broken");
    const docx = makeDocx(["x"]);
    await ws.writeFile("broken.docx", docx.subarray(0, docx.length - 30));
    expect(await runText(readFileTool, { path: "broken.docx" }, ws)).toMatch(/^Error: Cannot read broken\.docx: /);
  });
});
