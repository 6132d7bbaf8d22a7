import type { ExtractedDocument } from "./read-document.ts";
import { attr, decodeXml, elements, relationships, resolvePart } from "./xml-text.ts";
import { DocumentError, readZipText, type ZipEntry } from "./zip-reader.ts";

type Parts = Map<string, ZipEntry>;

async function part(bytes: Uint8Array, parts: Parts, name: string): Promise<string | null> {
  const entry = parts.get(name);
  return entry ? readZipText(bytes, entry) : null;
}

async function rels(bytes: Uint8Array, parts: Parts, partName: string): Promise<Map<string, string>> {
  const slash = partName.lastIndexOf("/");
  const xml = await part(bytes, parts, `${partName.slice(0, slash + 1)}_rels/${partName.slice(slash + 1)}.rels`);
  return xml ? relationships(xml) : new Map();
}

/** Word: paragraphs line by line, table rows as cells separated by ` | `. */
export async function readDocx(bytes: Uint8Array, parts: Parts): Promise<ExtractedDocument> {
  const xml = await part(bytes, parts, "word/document.xml");
  if (xml === null) throw new DocumentError("DOCX without word/document.xml");
  let out = "";
  let inCell = 0;
  const tokens = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br|cr)\b[^>]*\/>|<(\/?)w:(p|tc|tr)(?=[\s>/])[^>]*?(\/?)>/g;
  for (const m of xml.matchAll(tokens)) {
    if (m[1] !== undefined) out += decodeXml(m[1]);
    else if (m[2]) out += m[2] === "tab" ? "\t" : "\n";
    else {
      const closing = m[3] === "/" || m[5] === "/";
      const tag = m[4];
      if (tag === "tc") {
        if (m[3] !== "/" && m[5] !== "/") inCell++;
        else {
          inCell = Math.max(0, inCell - 1);
          out = `${out.trimEnd()} | `;
        }
      } else if (tag === "tr" && closing) out = `${out.replace(/ \| $/, "")}\n`;
      else if (tag === "p" && closing) out += inCell ? " " : "\n";
    }
  }
  const text = out.split("\n").map((l) => l.trimEnd()).join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return { kind: "docx", summary: "Word document", text };
}

function columnIndex(ref: string | undefined): number | null {
  const letters = /^[A-Z]+/.exec(ref ?? "")?.[0];
  if (!letters) return null;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Excel: `--- Sheet: name ---`, then one line per row, cells separated by tabs. */
export async function readXlsx(bytes: Uint8Array, parts: Parts): Promise<ExtractedDocument> {
  const workbook = await part(bytes, parts, "xl/workbook.xml");
  if (workbook === null) throw new DocumentError("XLSX without xl/workbook.xml");
  const targets = await rels(bytes, parts, "xl/workbook.xml");
  const sharedXml = (await part(bytes, parts, "xl/sharedStrings.xml")) ?? "";
  const shared = [...elements(sharedXml, "si")].map(({ inner }) => [...elements(inner, "t")].map((t) => decodeXml(t.inner)).join(""));
  const sheets: string[] = [];
  for (const { open } of elements(workbook, "sheet")) {
    const name = attr(open, "name") ?? "Sheet";
    const target = targets.get(attr(open, "r:id") ?? "");
    const xml = target ? await part(bytes, parts, resolvePart("xl/workbook.xml", target)) : null;
    if (xml === null) continue;
    const rows: string[] = [];
    for (const row of elements(xml, "row")) {
      const cells: string[] = [];
      for (const cell of elements(row.inner, "c")) {
        const type = attr(cell.open, "t");
        const raw = [...elements(cell.inner, "v")][0]?.inner;
        let value = "";
        if (type === "s") value = shared[Number(raw)] ?? "";
        else if (type === "inlineStr") value = [...elements(cell.inner, "t")].map((t) => decodeXml(t.inner)).join("");
        else if (type === "b") value = raw === "1" ? "TRUE" : "FALSE";
        else if (raw !== undefined) value = decodeXml(raw);
        const col = columnIndex(attr(cell.open, "r")) ?? cells.length;
        while (cells.length < col) cells.push("");
        cells[col] = value.replace(/[\t\n]+/g, " ");
      }
      if (cells.some((c) => c !== "")) rows.push(cells.join("\t").trimEnd());
    }
    sheets.push(`--- Sheet: ${name} ---\n${rows.join("\n") || "(empty sheet)"}`);
  }
  return { kind: "xlsx", summary: `Excel workbook, ${sheets.length} sheet${sheets.length === 1 ? "" : "s"}`, text: sheets.join("\n\n") };
}

/** PowerPoint: `--- Slide N ---` in presentation order, one line per paragraph. */
export async function readPptx(bytes: Uint8Array, parts: Parts): Promise<ExtractedDocument> {
  const presentation = await part(bytes, parts, "ppt/presentation.xml");
  if (presentation === null) throw new DocumentError("PPTX without ppt/presentation.xml");
  const targets = await rels(bytes, parts, "ppt/presentation.xml");
  const order = [...elements(presentation, "p:sldId")].map(({ open }) => targets.get(attr(open, "r:id") ?? "")).filter((t): t is string => !!t);
  const slides: string[] = [];
  for (const [i, target] of order.entries()) {
    const xml = await part(bytes, parts, resolvePart("ppt/presentation.xml", target));
    if (xml === null) continue;
    const paragraphs = [...elements(xml, "a:p")]
      .map(({ inner }) => inner.replace(/<a:br\b[^>]*\/>/g, "<a:t>\n</a:t>"))
      .map((inner) => [...elements(inner, "a:t")].map((t) => decodeXml(t.inner)).join("").trim())
      .filter(Boolean);
    slides.push(`--- Slide ${i + 1} ---\n${paragraphs.join("\n") || "(no text on this slide)"}`);
  }
  return { kind: "pptx", summary: `PowerPoint, ${slides.length} slide${slides.length === 1 ? "" : "s"}`, text: slides.join("\n\n") };
}
