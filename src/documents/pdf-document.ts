import { PdfLexer, PdfName, PdfRef, isDict, isStream, nameOf, type PdfDict, type PdfStream, type PdfValue } from "./pdf-lexer.ts";
import { DocumentError } from "./zip-reader.ts";

// A page tree deeper than this, or a loop in it, is a damaged or hostile file.
const MAX_TREE_DEPTH = 32;

export const latin1 = (bytes: Uint8Array): string => {
  let out = "";
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return out;
};
const toBytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

async function inflate(data: string): Promise<string> {
  const stream = new Blob([toBytes(data)]).stream().pipeThrough(new DecompressionStream("deflate"));
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } catch {
    // Many PDF writers leave junk after the deflate data; keep what was inflated before it.
  }
  return chunks.map(latin1).join("");
}

function asciiHex(data: string): string {
  const hex = data.replace(/>.*$/s, "").replace(/[^0-9a-f]/gi, "");
  let out = "";
  for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt(hex[i] + (hex[i + 1] ?? "0"), 16));
  return out;
}

function ascii85(data: string): string {
  const text = data.replace(/~>.*$/s, "").replace(/\s/g, "").replace(/^<~/, "");
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text[i] === "z") {
      out += "\0\0\0\0";
      i++;
      continue;
    }
    const group = text.slice(i, i + 5);
    i += 5;
    const padded = group.padEnd(5, "u");
    let n = 0;
    for (const ch of padded) n = n * 85 + (ch.charCodeAt(0) - 33);
    const bytes = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    out += String.fromCharCode(...bytes.slice(0, group.length - 1));
  }
  return out;
}

/** The objects of one PDF file, found by scanning (robust against broken cross-reference tables). */
export class PdfDocument {
  private readonly objects = new Map<number, PdfValue>();
  private readonly src: string;

  constructor(bytes: Uint8Array) {
    this.src = latin1(bytes);
    if (!this.src.startsWith("%PDF")) throw new DocumentError("not a PDF file");
    if (/\/Encrypt\s*(\d+\s+\d+\s+R|<<)/.test(this.src)) throw new DocumentError("encrypted (password-protected) PDFs are not supported");
    const re = /(\d+)\s+(\d+)\s+obj\b/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.src))) {
      const lexer = new PdfLexer(this.src, m.index + m[0].length);
      const value = lexer.next();
      if (value !== undefined) this.objects.set(Number(m[1]), value);
      re.lastIndex = Math.max(re.lastIndex, lexer.pos);
    }
  }

  /** Unpacks object streams (PDF 1.5+ keeps most objects compressed inside them). */
  async loadObjectStreams(): Promise<void> {
    for (const value of [...this.objects.values()]) {
      if (!isStream(value) || nameOf(value.dict.get("Type")) !== "ObjStm") continue;
      const data = await this.decode(value);
      const n = Number(this.resolve(value.dict.get("N")) ?? 0);
      const first = Number(this.resolve(value.dict.get("First")) ?? 0);
      const header = data.slice(0, first).trim().split(/\s+/).map(Number);
      for (let i = 0; i < n && i * 2 + 1 < header.length; i++) {
        const num = header[i * 2];
        if (this.objects.has(num)) continue;
        const item = new PdfLexer(data, first + header[i * 2 + 1]).next();
        if (item !== undefined) this.objects.set(num, item);
      }
    }
  }

  resolve(value: PdfValue | undefined, depth = 0): PdfValue | undefined {
    if (value instanceof PdfRef && depth < 16) return this.resolve(this.objects.get(value.num), depth + 1);
    return value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const v = this.resolve(value);
    if (isDict(v)) return v;
    if (isStream(v)) return v.dict;
    return undefined;
  }

  /** A stream's data with its filters undone; image filters (DCT, JBIG2, …) are not text and stay encoded. */
  async decode(stream: PdfStream): Promise<string> {
    const filter = this.resolve(stream.dict.get("Filter"));
    const filters = (Array.isArray(filter) ? filter : filter ? [filter] : []).map((f) => nameOf(this.resolve(f)));
    let data = stream.raw;
    for (const f of filters) {
      if (f === "FlateDecode" || f === "Fl") data = await inflate(data);
      else if (f === "ASCIIHexDecode" || f === "AHx") data = asciiHex(data);
      else if (f === "ASCII85Decode" || f === "A85") data = ascii85(data);
      else return "";
    }
    return data;
  }

  /** Pages in reading order, each with the resources it inherits. */
  pages(): { page: PdfDict; resources: PdfDict | undefined }[] {
    const roots = [...this.src.matchAll(/\/Root\s+(\d+)\s+(\d+)\s+R/g)];
    const catalog = roots.length ? this.dict(new PdfRef(Number(roots[roots.length - 1][1]), 0)) : undefined;
    const out: { page: PdfDict; resources: PdfDict | undefined }[] = [];
    const seen = new Set<PdfDict>();
    const walk = (node: PdfDict | undefined, inherited: PdfDict | undefined, depth: number) => {
      if (!node || seen.has(node) || depth > MAX_TREE_DEPTH) return;
      seen.add(node);
      const resources = this.dict(node.get("Resources")) ?? inherited;
      const kids = this.resolve(node.get("Kids"));
      if (nameOf(node.get("Type")) === "Page" || (!Array.isArray(kids) && node.has("Contents"))) out.push({ page: node, resources });
      else if (Array.isArray(kids)) for (const kid of kids) walk(this.dict(kid), resources, depth + 1);
    };
    walk(this.dict(catalog?.get("Pages")), undefined, 0);
    if (out.length) return out;
    // No usable catalog: every page object, in object-number order.
    for (const [, value] of [...this.objects.entries()].sort((a, b) => a[0] - b[0])) {
      if (isDict(value) && nameOf(value.get("Type")) === "Page") out.push({ page: value, resources: this.dict(value.get("Resources")) });
    }
    return out;
  }

  /** The page's content streams, decoded and joined. */
  async contents(page: PdfDict): Promise<string> {
    const contents = this.resolve(page.get("Contents"));
    const parts = Array.isArray(contents) ? contents : contents ? [contents] : [];
    const out: string[] = [];
    for (const part of parts) {
      const stream = this.resolve(part);
      if (isStream(stream)) out.push(await this.decode(stream));
    }
    return out.join("\n");
  }
}

export { PdfName };
