/**
 * A small Markdown-to-terminal renderer, line by line so it can follow a streamed reply: headings, bold,
 * italic, inline code, fenced code blocks, lists, quotes, rules and links. Anything else passes through as
 * text. (A full Markdown library would be heavier than the whole rest of the CLI.)
 */
const ansi = {
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  italic: (s: string) => `\x1b[3m${s}\x1b[23m`,
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  underline: (s: string) => `\x1b[4m${s}\x1b[24m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
};

/** Inline spans: code first (its content is literal), then links, bold, italic. */
export function renderInline(text: string): string {
  const parts = text.split(/(`[^`]+`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) return ansi.cyan(part.slice(1, -1));
      return part
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `${ansi.underline(label)} ${ansi.dim(`(${url})`)}`)
        .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_, a: string | undefined, b: string | undefined) => ansi.bold(a ?? b ?? ""))
        .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?!\*)/g, (_, pre: string, body: string) => `${pre}${ansi.italic(body)}`)
        .replace(/(^|[^_\w])_([^_\s][^_]*?)_(?![_\w])/g, (_, pre: string, body: string) => `${pre}${ansi.italic(body)}`);
    })
    .join("");
}

/** Stateful because a fenced code block spans lines. */
export class MarkdownLineRenderer {
  private fence: string | null = null;

  renderLine(line: string): string {
    const fenceMatch = /^\s*(```+|~~~+)\s*([\w+-]*)\s*$/.exec(line);
    if (this.fence !== null) {
      if (fenceMatch && fenceMatch[1].startsWith(this.fence)) {
        this.fence = null;
        return ansi.dim("  └──");
      }
      return `${ansi.dim("  │ ")}${ansi.yellow(line)}`;
    }
    if (fenceMatch) {
      this.fence = fenceMatch[1];
      return ansi.dim(`  ┌── ${fenceMatch[2] || "code"}`);
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) return ansi.bold(heading[1].length <= 2 ? ansi.underline(renderInline(heading[2])) : renderInline(heading[2]));
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return ansi.dim("─".repeat(40));
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      const task = /^\[([ xX])\]\s+(.*)$/.exec(bullet[2]);
      const mark = task ? (task[1] === " " ? "☐" : "☑") : "•";
      return `${bullet[1]}  ${mark} ${renderInline(task ? task[2] : bullet[2])}`;
    }
    const numbered = /^(\s*)(\d+[.)])\s+(.*)$/.exec(line);
    if (numbered) return `${numbered[1]}  ${numbered[2]} ${renderInline(numbered[3])}`;
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (quote) return `${ansi.dim("│ ")}${ansi.italic(renderInline(quote[1]))}`;
    return renderInline(line);
  }
}

/** Renders a whole Markdown text at once. */
export function renderMarkdown(text: string): string {
  const renderer = new MarkdownLineRenderer();
  return text
    .split("\n")
    .map((line) => renderer.renderLine(line))
    .join("\n");
}
