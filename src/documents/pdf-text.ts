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
  lastY: number | null;
}

const lastChar = (s: State) => s.out[s.out.length - 1];
const newline = (s: State) => {
  if (s.out && lastChar(s) !== "\n") s.out += "\n";
};
const space = (s: State) => {
  if (s.out && lastChar(s) !== " " && lastChar(s) !== "\n") s.out += " ";
};

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
        break;
      case "Tf": {
        const name = nameOf(args[0]);
        font = await fontDecoder(doc, name ? doc.dict(fontRes?.get(name)) : undefined, fonts);
        break;
      }
      case "Tj":
        s.out += font(stringBytes(args[0]));
        break;
      case "'":
      case '"':
        newline(s);
        s.out += font(stringBytes(args[args.length - 1]));
        break;
      case "TJ":
        for (const item of Array.isArray(args[0]) ? args[0] : []) {
          if (item instanceof PdfString) s.out += font(item.bytes);
          else if (typeof item === "number" && item < -WORD_GAP) space(s);
        }
        break;
      case "Td":
      case "TD": {
        const ty = Number(args[1] ?? 0);
        if (Math.abs(ty) > 0.01) newline(s);
        else space(s);
        break;
      }
      case "Tm": {
        const y = Number(args[5] ?? 0);
        if (s.lastY !== null && Math.abs(y - s.lastY) > 0.5) newline(s);
        else space(s);
        s.lastY = y;
        break;
      }
      case "T*":
        newline(s);
        break;
      case "ET":
        space(s);
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
  const state: State = { out: "", images: 0, lastY: null };
  await run(doc, await doc.contents(page), resources, fonts, state, 0);
  const text = state.out
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text, images: state.images };
}
