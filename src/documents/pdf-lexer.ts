/**
 * PDF object syntax (ISO 32000-1 §7.3) over the file as a Latin-1 string (one char per byte): names, strings,
 * numbers, arrays, dictionaries, references, streams, and the operators of content streams.
 */
export class PdfName {
  readonly v: string;
  constructor(v: string) {
    this.v = v;
  }
}
export class PdfRef {
  readonly num: number;
  readonly gen: number;
  constructor(num: number, gen: number) {
    this.num = num;
    this.gen = gen;
  }
}
/** A string's bytes as a Latin-1 string (fonts decide what the bytes mean). */
export class PdfString {
  readonly bytes: string;
  constructor(bytes: string) {
    this.bytes = bytes;
  }
}
export class PdfOp {
  readonly op: string;
  constructor(op: string) {
    this.op = op;
  }
}
export type PdfDict = Map<string, PdfValue>;
export interface PdfStream {
  dict: PdfDict;
  /** Raw (still encoded) stream bytes as Latin-1. */
  raw: string;
}
export type PdfValue = number | boolean | null | PdfName | PdfString | PdfRef | PdfOp | PdfValue[] | PdfDict | PdfStream;

export const isDict = (v: unknown): v is PdfDict => v instanceof Map;
export const isStream = (v: unknown): v is PdfStream => typeof v === "object" && v !== null && "raw" in v && "dict" in v;
export const nameOf = (v: unknown): string | undefined => (v instanceof PdfName ? v.v : undefined);

const WHITE = new Set(["\0", "\t", "\n", "\f", "\r", " "]);
const DELIM = new Set(["(", ")", "<", ">", "[", "]", "{", "}", "/", "%"]);
const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };

export class PdfLexer {
  pos: number;
  readonly src: string;
  constructor(src: string, pos = 0) {
    this.src = src;
    this.pos = pos;
  }

  skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (WHITE.has(c)) this.pos++;
      else if (c === "%") {
        while (this.pos < s.length && s[this.pos] !== "\n" && s[this.pos] !== "\r") this.pos++;
      } else break;
    }
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.src.length && !WHITE.has(this.src[this.pos]) && !DELIM.has(this.src[this.pos])) this.pos++;
    return this.src.slice(start, this.pos);
  }

  /** The next value or operator; undefined at the end of input. `withRefs` reads `n g R` as a reference. */
  next(withRefs = true): PdfValue | undefined {
    this.skipSpace();
    const s = this.src;
    if (this.pos >= s.length) return undefined;
    const c = s[this.pos];
    if (c === "/") {
      this.pos++;
      return new PdfName(this.word().replace(/#([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
    }
    if (c === "(") return this.literal();
    if (c === "<") {
      if (s[this.pos + 1] === "<") return this.dict(withRefs);
      const end = s.indexOf(">", this.pos);
      const hex = s.slice(this.pos + 1, end < 0 ? s.length : end).replace(/[^0-9a-f]/gi, "");
      this.pos = end < 0 ? s.length : end + 1;
      let out = "";
      for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(parseInt((hex[i] + (hex[i + 1] ?? "0")), 16));
      return new PdfString(out);
    }
    if (c === "[") {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= s.length) return items;
        if (s[this.pos] === "]") {
          this.pos++;
          return items;
        }
        const v = this.next(withRefs);
        if (v === undefined) return items;
        items.push(v);
      }
    }
    if (c === "]" || c === ">" || c === ")" || c === "{" || c === "}") {
      this.pos++;
      return new PdfOp(c);
    }
    const w = this.word();
    if (w === "") {
      this.pos++;
      return this.next(withRefs);
    }
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(w)) {
      const n = Number(w);
      if (withRefs && /^\d+$/.test(w)) {
        const save = this.pos;
        const m = /^\s+(\d+)\s+R(?=[\s/<>[\]()%]|$)/.exec(s.slice(this.pos, this.pos + 24));
        if (m) {
          this.pos += m[0].length;
          return new PdfRef(n, Number(m[1]));
        }
        this.pos = save;
      }
      return n;
    }
    if (w === "true") return true;
    if (w === "false") return false;
    if (w === "null") return null;
    return new PdfOp(w);
  }

  private literal(): PdfString {
    const s = this.src;
    let depth = 0;
    let out = "";
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos++];
      if (c === "\\") {
        const e = s[this.pos++];
        if (e in ESCAPES) out += ESCAPES[e];
        else if (/[0-7]/.test(e)) {
          let oct = e;
          while (oct.length < 3 && /[0-7]/.test(s[this.pos])) oct += s[this.pos++];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else if (e === "\r") {
          if (s[this.pos] === "\n") this.pos++;
        } else if (e !== "\n") out += e;
      } else if (c === "(") {
        depth++;
        out += c;
      } else if (c === ")") {
        if (depth === 0) break;
        depth--;
        out += c;
      } else out += c;
    }
    return new PdfString(out);
  }

  private dict(withRefs: boolean): PdfDict | PdfStream {
    const s = this.src;
    this.pos += 2;
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.pos >= s.length) return dict;
      if (s.startsWith(">>", this.pos)) {
        this.pos += 2;
        break;
      }
      const key = this.next(withRefs);
      if (!(key instanceof PdfName)) continue;
      const value = this.next(withRefs);
      if (value === undefined) return dict;
      dict.set(key.v, value);
    }
    const save = this.pos;
    this.skipSpace();
    if (!s.startsWith("stream", this.pos)) {
      this.pos = save;
      return dict;
    }
    let start = this.pos + 6;
    if (s[start] === "\r") start++;
    if (s[start] === "\n") start++;
    const length = dict.get("Length");
    let end = -1;
    if (typeof length === "number" && /^\s*endstream/.test(s.slice(start + length, start + length + 16))) end = start + length;
    if (end < 0) {
      end = s.indexOf("endstream", start);
      if (end < 0) end = s.length;
      // The EOL before `endstream` is not part of the data.
      if (s[end - 1] === "\n") end--;
      if (s[end - 1] === "\r") end--;
    }
    this.pos = end;
    const after = s.indexOf("endstream", end);
    if (after >= 0) this.pos = after + 9;
    return { dict, raw: s.slice(start, end) };
  }
}
