import { describe, expect, it } from "vitest";
import { extractDocument } from "../../../src/documents/read-document.ts";

/**
 * A PDF as Word or a browser writes one for non-Latin text: a Type0 (CID) font with 2-byte codes whose meaning
 * comes only from its ToUnicode CMap, text placed with Tm/Td and kerned with TJ. Written out by hand (with a
 * correct xref table) because pdf-lib's standard fonts never produce this shape.
 */
function type0Pdf(): Uint8Array {
  const cmap = [
    "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
    "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    "2 beginbfchar <0003> <0020> <0010> <00E9> endbfchar",
    "2 beginbfrange <0020> <0039> <0041> <0040> <0042> [<4F60> <597D>] endbfrange",
    "endcmap CMapName currentdict /CMap defineresource pop end end",
  ].join("\n");
  // Codes 0x20.. map to A..Z; 0x10 = é; 0x40/0x41 = 你好; 0x03 = space.
  const code = (s: string) => [...s].map((ch) => (ch === " " ? "0003" : ch === "é" ? "0010" : (ch.charCodeAt(0) - 0x41 + 0x20).toString(16).padStart(4, "0"))).join("");
  const content = [
    "BT /F1 12 Tf 1 0 0 1 50 700 Tm",
    `<${code("CAF")}> Tj`,
    `[<${code("é")}> -20 <${code(" MENU")}>] TJ`,
    "0 -20 Td",
    "[<0040> -300 <0041>] TJ",
    "ET",
  ].join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type0 /BaseFont /Noto /Encoding /Identity-H /DescendantFonts [] /ToUnicode 6 0 R >>",
    `<< /Length ${cmap.length} >>\nstream\n${cmap}\nendstream`,
  ];
  let out = "%PDF-1.7\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

describe("PDF fonts", () => {
  it("should decode 2-byte CID text through the ToUnicode CMap (bfchar, bfrange, ranges with arrays)", async () => {
    const doc = await extractDocument(type0Pdf(), "pdf");
    expect(doc.text).toBe("--- Page 1 ---\nCAFé MENU\n你 好");
  });

  it("should refuse an encrypted PDF with a clear reason", async () => {
    const bytes = new TextEncoder().encode("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 9 0 R >>\n");
    await expect(extractDocument(bytes, "pdf")).rejects.toThrow("encrypted (password-protected) PDFs are not supported");
  });
});
