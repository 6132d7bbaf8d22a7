/**
 * Finds where and why a JSON text is invalid, with a hint for the usual hand-editing mistakes (trailing comma,
 * missing comma, comments, single quotes). Only runs after JSON.parse failed; it scans the text itself instead of
 * reading V8's message, whose wording and position format differ between engines and versions. The offset it
 * reports is the token JSON.parse stumbles on.
 */

export interface JsonSyntaxProblem {
  line: number;
  column: number;
  problem: string;
}

class SyntaxStop {
  readonly offset: number;
  readonly problem: string;
  constructor(offset: number, problem: string) {
    this.offset = offset;
    this.problem = problem;
  }
}

/** 1-based line and column (in characters) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const describeChar = (ch: string) => (ch === "'" ? "single quote (JSON strings and names use double quotes)" : `'${ch}'`);

class Scanner {
  pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  at(offset: number): string {
    return this.text[offset] ?? "";
  }

  fail(problem: string, offset = this.pos): never {
    throw new SyntaxStop(offset, problem);
  }

  where(offset: number): string {
    const { line, column } = lineColumn(this.text, offset);
    return `line ${line}, column ${column}`;
  }

  skipSpace(): void {
    for (;;) {
      const ch = this.at(this.pos);
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") this.pos++;
      else if (ch === "/" && (this.at(this.pos + 1) === "/" || this.at(this.pos + 1) === "*")) {
        this.fail("comments are not allowed in JSON (remove the comment, or move the note into a \"description\"-like string)");
      } else return;
    }
  }

  unexpected(expected: string): never {
    const ch = this.at(this.pos);
    if (!ch) this.fail(`unexpected end of the file (expected ${expected}; is a closing } or ] missing?)`);
    this.fail(`unexpected ${describeChar(ch)} (expected ${expected})`);
  }

  value(): void {
    this.skipSpace();
    const ch = this.at(this.pos);
    if (ch === "{") return this.object();
    if (ch === "[") return this.array();
    if (ch === '"') return this.string();
    if (ch === "-" || (ch >= "0" && ch <= "9")) return this.number();
    for (const word of ["true", "false", "null"]) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    this.unexpected("a value: an object, array, string, number, true, false or null");
  }

  /** After a value inside {…} or […]: a comma or the closing bracket; anything else is most likely a missing comma. */
  separator(close: "}" | "]", valueEnd: number): boolean {
    this.skipSpace();
    const ch = this.at(this.pos);
    if (ch === ",") {
      this.pos++;
      return true;
    }
    if (ch === close) {
      this.pos++;
      return false;
    }
    if (ch === '"' || ch === "{" || ch === "[" || /[-0-9tfn]/.test(ch)) {
      this.fail(`missing comma after the ${close === "}" ? "entry" : "item"} that ends at ${this.where(valueEnd - 1)}`);
    }
    return this.unexpected(`',' or '${close}'`);
  }

  object(): void {
    this.pos++;
    this.skipSpace();
    if (this.at(this.pos) === "}") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      const ch = this.at(this.pos);
      if (ch === "}") this.fail(`trailing comma before '}' (remove the last comma)`);
      if (ch !== '"') {
        if (/[A-Za-z_$]/.test(ch)) this.fail("property names must be in double quotes");
        this.unexpected("a property name in double quotes");
      }
      this.string();
      this.skipSpace();
      if (this.at(this.pos) !== ":") {
        if (this.at(this.pos) === "=") this.fail("expected ':' after the property name, not '='");
        this.unexpected("':' after the property name");
      }
      this.pos++;
      this.value();
      if (!this.separator("}", this.pos)) return;
    }
  }

  array(): void {
    this.pos++;
    this.skipSpace();
    if (this.at(this.pos) === "]") {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.at(this.pos) === "]") this.fail("trailing comma before ']' (remove the last comma)");
      this.value();
      if (!this.separator("]", this.pos)) return;
    }
  }

  string(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const ch = this.at(this.pos);
      if (!ch) this.fail(`unterminated string (the one starting at ${this.where(start)})`);
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === "\n" || ch === "\r") this.fail(`unterminated string (the one starting at ${this.where(start)}; a line break inside a string must be written \\n)`);
      if (ch < " ") this.fail("control character inside a string (write it as an escape such as \\t)");
      if (ch === "\\") {
        const next = this.at(this.pos + 1);
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.fail("invalid \\u escape (needs four hex digits)");
          this.pos += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(next) || !next) this.fail("invalid escape in a string (a backslash must be written \\\\)");
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  number(): void {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || match[0] === "-") this.fail("invalid number");
    this.pos += match[0].length;
    if (/[0-9.eE]/.test(this.at(this.pos))) this.fail("invalid number (no leading zeros, digits after a '.')");
  }
}

/** Why `text` is not JSON, or null if it is. An empty (or blank) text is an error too. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    if (scanner.pos >= text.length) scanner.fail("the file is empty (an empty config is {})");
    scanner.value();
    scanner.skipSpace();
    if (scanner.pos < text.length) scanner.fail("unexpected text after the end of the config (an extra '}' or a second object?)");
    return null;
  } catch (err) {
    if (!(err instanceof SyntaxStop)) throw err;
    return { ...lineColumn(text, err.offset), problem: err.problem };
  }
}
