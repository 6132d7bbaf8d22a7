import { strToU8, zipSync } from "fflate";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** A real PDF written by pdf-lib (object streams, Flate content), one entry of `pages` per page. */
export async function makePdf(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([600, 800]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 750 - i * 20, size: 12, font }));
  }
  return pdf.save();
}

/** A PDF whose only page is an image: what a scanner produces. */
export async function makeScannedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // 1×1 PNG.
  const png = Uint8Array.from(
    atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="),
    (c) => c.charCodeAt(0),
  );
  const image = await pdf.embedPng(png);
  pdf.addPage([600, 800]).drawImage(image, { x: 0, y: 0, width: 600, height: 800 });
  return pdf.save();
}

const CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const rels = (items: [string, string][]) =>
  `<?xml version="1.0"?><Relationships>${items.map(([id, target]) => `<Relationship Id="${id}" Type="t" Target="${target}"/>`).join("")}</Relationships>`;

export function makeDocx(paragraphs: string[], table?: string[][]): Uint8Array {
  const p = (t: string) => `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`;
  const tbl = table
    ? `<w:tbl>${table.map((row) => `<w:tr>${row.map((c) => `<w:tc><w:tcPr/>${p(c)}</w:tc>`).join("")}</w:tr>`).join("")}</w:tbl>`
    : "";
  const body = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs.map(p).join("")}${tbl}</w:body></w:document>`;
  return zipSync({ "[Content_Types].xml": strToU8(CT), "word/document.xml": strToU8(body) });
}

export function makeXlsx(sheets: Record<string, (string | number)[][]>): Uint8Array {
  const shared: string[] = [];
  const files: Record<string, Uint8Array> = { "[Content_Types].xml": strToU8(CT) };
  const names = Object.keys(sheets);
  names.forEach((name, i) => {
    const rows = sheets[name]
      .map((row, r) => `<row r="${r + 1}">${row.map((v, c) => {
        const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
        if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
        shared.push(v);
        return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
      }).join("")}</row>`)
      .join("");
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(`<worksheet><sheetData>${rows}</sheetData></worksheet>`);
  });
  files["xl/workbook.xml"] = strToU8(`<workbook xmlns:r="r"><sheets>${names.map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`);
  files["xl/_rels/workbook.xml.rels"] = strToU8(rels(names.map((_, i) => [`rId${i + 1}`, `worksheets/sheet${i + 1}.xml`])));
  files["xl/sharedStrings.xml"] = strToU8(`<sst>${shared.map((s) => `<si><t>${s}</t></si>`).join("")}</sst>`);
  return zipSync(files);
}

export function makePptx(slides: string[][]): Uint8Array {
  const files: Record<string, Uint8Array> = { "[Content_Types].xml": strToU8(CT) };
  // Listed in reverse file order, to show the presentation order (not file names) decides.
  const order = slides.map((_, i) => i).reverse();
  slides.forEach((paras, i) => {
    const body = paras.map((t) => `<a:p><a:r><a:rPr lang="en"/><a:t>${t}</a:t></a:r></a:p>`).join("");
    files[`ppt/slides/slide${i + 1}.xml`] = strToU8(`<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:txBody>${body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`);
  });
  files["ppt/presentation.xml"] = strToU8(`<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst>${order.map((i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join("")}</p:sldIdLst></p:presentation>`);
  files["ppt/_rels/presentation.xml.rels"] = strToU8(rels(slides.map((_, i) => [`rId${i + 1}`, `slides/slide${i + 1}.xml`])));
  return zipSync(files);
}
