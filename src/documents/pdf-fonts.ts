import type { PdfDocument } from "./pdf-document.ts";
import { PdfString, isStream, nameOf, type PdfDict } from "./pdf-lexer.ts";

/** Turns the bytes of a shown string into text for one font. */
export type FontDecoder = (bytes: string) => string;

// WinAnsiEncoding differs from Latin-1 in 0x80–0x9F (ISO 32000-1 Annex D).
const WIN_ANSI_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
// Glyph names common in /Differences arrays (the Adobe Glyph List's ASCII part and frequent punctuation).
const GLYPHS: Record<string, string> = {
  space: " ", exclam: "!", quotedbl: '"', numbersign: "#", dollar: "$", percent: "%", ampersand: "&", quotesingle: "'",
  parenleft: "(", parenright: ")", asterisk: "*", plus: "+", comma: ",", hyphen: "-", period: ".", slash: "/",
  zero: "0", one: "1", two: "2", three: "3", four: "4", five: "5", six: "6", seven: "7", eight: "8", nine: "9",
  colon: ":", semicolon: ";", less: "<", equal: "=", greater: ">", question: "?", at: "@", bracketleft: "[",
  backslash: "\\", bracketright: "]", underscore: "_", braceleft: "{", bar: "|", braceright: "}", asciitilde: "~",
  quoteleft: "‘", quoteright: "’", quotedblleft: "“", quotedblright: "”", endash: "–", emdash: "—", bullet: "•",
  ellipsis: "…", fi: "fi", fl: "fl", ff: "ff", ffi: "ffi", ffl: "ffl", minus: "−", degree: "°", copyright: "©",
  registered: "®", trademark: "™", Euro: "€", nbspace: " ", sterling: "£", section: "§", paragraph: "¶",
};

function glyphText(name: string): string | undefined {
  if (GLYPHS[name]) return GLYPHS[name];
  if (/^[A-Za-z]$/.test(name)) return name;
  const uni = /^uni([0-9A-F]{4,6})$/i.exec(name) ?? /^u([0-9A-F]{4,6})$/i.exec(name);
  if (uni) return String.fromCodePoint(parseInt(uni[1], 16));
  return undefined;
}

const utf16be = (hex: string) => {
  const units: number[] = [];
  for (let i = 0; i + 3 < hex.length + 0; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
  if (hex.length === 2) units.push(parseInt(hex, 16));
  return String.fromCharCode(...units);
};

interface CMap {
  map: Map<number, string>;
  /** Byte lengths codes use, from the codespace ranges (longest first). */
  widths: number[];
}

/** A ToUnicode CMap (bfchar / bfrange / codespacerange). */
export function parseToUnicode(text: string): CMap {
  const map = new Map<number, string>();
  const widths = new Set<number>();
  for (const block of text.matchAll(/begincodespacerange([\s\S]*?)endcodespacerange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-f]+)>\s*<[0-9a-f]+>/gi)) widths.add(Math.ceil(m[1].length / 2));
  }
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]*)>/gi)) {
      map.set(parseInt(m[1], 16), utf16be(m[2]));
      widths.add(Math.ceil(m[1].length / 2));
    }
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(?:<([0-9a-f]*)>|\[([^\]]*)\])/gi)) {
      const lo = parseInt(m[1], 16);
      const hi = Math.min(parseInt(m[2], 16), lo + 0xffff);
      widths.add(Math.ceil(m[1].length / 2));
      if (m[3] !== undefined) {
        const base = m[3];
        const last = parseInt(base.slice(-4) || "0", 16);
        for (let code = lo; code <= hi; code++) map.set(code, utf16be(base.slice(0, -4) + (last + code - lo).toString(16).padStart(4, "0")));
      } else {
        const targets = [...m[4].matchAll(/<([0-9a-f]*)>/gi)].map((t) => utf16be(t[1]));
        targets.forEach((t, i) => map.set(lo + i, t));
      }
    }
  }
  return { map, widths: [...widths].sort((a, b) => b - a) };
}

function cmapDecoder(cmap: CMap, fallbackWidth: number): FontDecoder {
  const widths = cmap.widths.length ? cmap.widths : [fallbackWidth];
  return (bytes) => {
    let out = "";
    for (let i = 0; i < bytes.length; ) {
      let done = false;
      for (const w of widths) {
        if (i + w > bytes.length) continue;
        let code = 0;
        for (let k = 0; k < w; k++) code = code * 256 + bytes.charCodeAt(i + k);
        const text = cmap.map.get(code);
        if (text !== undefined) {
          out += text;
          i += w;
          done = true;
          break;
        }
      }
      if (!done) i += widths[widths.length - 1];
    }
    return out;
  };
}

async function simpleDecoder(doc: PdfDocument, font: PdfDict): Promise<FontDecoder> {
  const table: string[] = [];
  for (let c = 0; c < 256; c++) table[c] = c >= 0x80 && c < 0xa0 ? WIN_ANSI_HIGH[c - 0x80] : String.fromCharCode(c);
  const encoding = doc.resolve(font.get("Encoding"));
  const differences = doc.dict(encoding)?.get("Differences");
  const list = doc.resolve(differences);
  if (Array.isArray(list)) {
    let code = 0;
    for (const item of list) {
      if (typeof item === "number") code = item;
      else {
        const name = nameOf(item);
        const text = name ? glyphText(name) : undefined;
        if (text !== undefined && code < 256) table[code] = text;
        code++;
      }
    }
  }
  return (bytes) => {
    let out = "";
    for (let i = 0; i < bytes.length; i++) out += table[bytes.charCodeAt(i)];
    return out;
  };
}

/** A decoder per font resource name; fonts are decoded once per document. */
export async function fontDecoder(doc: PdfDocument, font: PdfDict | undefined, cache: Map<PdfDict, FontDecoder>): Promise<FontDecoder> {
  if (!font) return (bytes) => bytes;
  const hit = cache.get(font);
  if (hit) return hit;
  const composite = nameOf(font.get("Subtype")) === "Type0";
  const toUnicode = doc.resolve(font.get("ToUnicode"));
  let decoder: FontDecoder;
  if (isStream(toUnicode)) decoder = cmapDecoder(parseToUnicode(await doc.decode(toUnicode)), composite ? 2 : 1);
  else if (composite) decoder = (bytes) => bytes.replace(/[\s\S]{2}/g, (pair) => (pair.charCodeAt(0) === 0 && pair.charCodeAt(1) >= 32 ? pair[1] : ""));
  else decoder = await simpleDecoder(doc, font);
  cache.set(font, decoder);
  return decoder;
}

export const stringBytes = (v: unknown) => (v instanceof PdfString ? v.bytes : "");
