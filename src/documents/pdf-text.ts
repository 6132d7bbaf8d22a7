import type { PdfDocument } from "./pdf-document.ts";
import { fontDecoder, stringBytes, type FontDecoder } from "./pdf-fonts.ts";
import { PdfLexer, PdfOp, PdfString, isStream, nameOf, type PdfDict, type PdfValue } from "./pdf-lexer.ts";

// Form XObjects can nest (and loop); deeper than this is not text anyone wants.
const MAX_FORM_DEPTH = 6;
// A TJ adjustment beyond this (thousandths of an em) is a word gap, not kerning.
const WORD_GAP = 180;

export interface PageText {
  text: string;
  images: number;
}

interface State {
  out: string;
  images: number;
  /** Baseline of the current text line (text line matrix, in page units) and of the last text shown. */
  lineY: number;
  lastY: number | null;
  /** Vertical scale of the text matrix and the font size: a baseline shift above half a line starts a new line. */
  scale: number;
  fontSize: number;
  pendingSpace: boolean;
}

const lastChar = (s: State) => s.out[s.out.length - 1];
const newline = (s: State) => {
  if (s.out && lastChar(s) !== "\n") s.out += "\n";
};
const space = (s: State) => {
  if (s.out && lastChar(s) !== " " && lastChar(s) !== "\n") s.out += " ";
};

function show(s: State, text: string): void {
  if (!text) return;
  const lineHeight = Math.max(1, Math.abs(s.fontSize * s.scale));
  if (s.lastY !== null && Math.abs(s.lineY - s.lastY) > lineHeight * 0.5) newline(s);
  else if (s.pendingSpace) space(s);
  s.pendingSpace = false;
  s.lastY = s.lineY;
  s.out += text;
}

async function run(doc: PdfDocument, content: string, resources: PdfDict | undefined, fonts: Map<PdfDict, FontDecoder>, s: State, depth: number): Promise<void> {
  const fontRes = doc.dict(resources?.get("Font"));
  const xobjects = doc.dict(resources?.get("XObject"));
  const lexer = new PdfLexer(content);
  let operands: PdfValue[] = [];
  let font: FontDecoder = (b) => b;
  for (;;) {
    const token = lexer.next(false);
    if (token === undefined) break;
    if (!(token instanceof PdfOp)) {
      operands.push(token);
      continue;
    }
    const args = operands;
    operands = [];
    switch (token.op) {
      case "BT":
        s.lineY = 0;
        s.scale = 1;
        break;
      case "Tf": {
        s.fontSize = Number(args[1] ?? 0) || s.fontSize;
        const name = nameOf(args[0]);
        font = await fontDecoder(doc, name ? doc.dict(fontRes?.get(name)) : undefined, fonts);
        break;
      }
      case "Tj":
        show(s, font(stringBytes(args[0])));
        break;
      case "'":
      case '"':
        newline(s);
        s.lastY = s.lineY;
        show(s, font(stringBytes(args[args.length - 1])));
        break;
      case "TJ":
        for (const item of Array.isArray(args[0]) ? args[0] : []) {
          if (item instanceof PdfString) show(s, font(item.bytes));
          else if (typeof item === "number" && item < -WORD_GAP) s.pendingSpace = true;
        }
        break;
      case "Td":
      case "TD":
        s.lineY += Number(args[1] ?? 0) * s.scale;
        s.pendingSpace = true;
        break;
      case "Tm":
        s.lineY = Number(args[5] ?? 0);
        s.scale = Number(args[3] ?? 1) || 1;
        s.pendingSpace = true;
        break;
      case "T*":
        newline(s);
        s.lastY = s.lineY;
        break;
      case "ET":
        s.pendingSpace = true;
        break;
      case "Do": {
        const name = nameOf(args[0]);
        const xobject = name ? doc.resolve(xobjects?.get(name)) : undefined;
        if (!isStream(xobject)) break;
        const subtype = nameOf(xobject.dict.get("Subtype"));
        if (subtype === "Image") s.images++;
        else if (subtype === "Form" && depth < MAX_FORM_DEPTH) {
          await run(doc, await doc.decode(xobject), doc.dict(xobject.dict.get("Resources")) ?? resources, fonts, s, depth + 1);
        }
        break;
      }
      case "ID": {
        // Inline image data is binary: skip to its EI.
        s.images++;
        const end = content.indexOf("EI", lexer.pos);
        lexer.pos = end < 0 ? content.length : end + 2;
        break;
      }
    }
  }
}

/** The text of one page in reading order of its content stream, with the number of images it paints. */
export async function pageText(doc: PdfDocument, page: PdfDict, resources: PdfDict | undefined, fonts: Map<PdfDict, FontDecoder>): Promise<PageText> {
  const state: State = { out: "", images: 0, lineY: 0, lastY: null, scale: 1, fontSize: 0, pendingSpace: false };
  await run(doc, await doc.contents(page), resources, fonts, state, 0);
  const text = state.out
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text, images: state.images };
}
