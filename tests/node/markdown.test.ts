import { describe, expect, it } from "vitest";
import { renderInline, renderMarkdown } from "../../cli/markdown.ts";
import { createReplyPrinter } from "../../cli/reply-printer.ts";

const BOLD = "\x1b[1m";
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

describe("terminal Markdown", () => {
  it("should render bold, italic and inline code, and drop the markers", () => {
    const out = renderInline("a **strong** and *soft* word with `x = 1`");
    expect(out).toContain(`${BOLD}strong`);
    expect(out).toContain("\x1b[3msoft");
    expect(out).toContain("\x1b[36mx = 1");
    expect(stripAnsi(out)).toBe("a strong and soft word with x = 1");
  });

  it("should keep Markdown inside inline code literal", () => {
    expect(stripAnsi(renderInline("`**not bold**`"))).toBe("**not bold**");
    expect(renderInline("`**not bold**`")).not.toContain(BOLD);
  });

  it("should render lists, headings and fenced code blocks without touching the code", () => {
    const out = renderMarkdown("# Title\n- one\n2. two\n```ts\nconst a = **b**;\n```\nafter");
    const lines = stripAnsi(out).split("\n");
    expect(lines[0]).toBe("Title");
    expect(lines[1]).toBe("  • one");
    expect(lines[2]).toBe("  2. two");
    expect(lines[3]).toContain("ts");
    expect(lines[4]).toContain("const a = **b**;");
    expect(lines[6]).toBe("after");
  });

  it("should leave snake_case words and lone asterisks alone", () => {
    expect(stripAnsi(renderInline("use read_file and 2 * 3 * 4"))).toBe("use read_file and 2 * 3 * 4");
  });
});

describe("streamed reply printer", () => {
  it("should render Markdown per completed line even when markers are split across chunks", () => {
    let out = "";
    const printer = createReplyPrinter({ write: (s: string) => (out += s) }, true);
    for (const piece of ["Some **bo", "ld** text\n- it", "em"]) printer.write(piece);
    expect(stripAnsi(out)).toBe("Some bold text\n");
    printer.end();
    expect(stripAnsi(out)).toBe("Some bold text\n  • item\n");
    expect(out).toContain(`${BOLD}bold`);
  });

  it("should pass text through unchanged with Markdown off", () => {
    let out = "";
    const printer = createReplyPrinter({ write: (s: string) => (out += s) }, false);
    printer.write("**raw**");
    expect(out).toBe("**raw**");
    printer.end();
    expect(out).toBe("**raw**\n");
  });
});
