/**
 * Markdown (as models write it) → the markdown a Feishu card renders. Card markdown shows **bold**, *italic*,
 * ~~strike~~, [links](url), lists and code blocks, but not `#`–`###` headings (they break the card) nor tables,
 * and `![](…)` wants an image_key, not a URL. So: headings → bold lines, tables → code blocks (columns stay
 * aligned), images → links. Code blocks are left as they are.
 */
export function markdownToCardMarkdown(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(```|~~~)/.exec(lines[i]);
    if (fence) {
      out.push(lines[i]);
      while (++i < lines.length) {
        out.push(lines[i]);
        if (new RegExp(`^\\s*${fence[1]}\\s*$`).test(lines[i])) break;
      }
      continue;
    }
    if (isTableRow(lines[i]) && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1])) {
      const table: string[] = [];
      while (i < lines.length && isTableRow(lines[i])) table.push(lines[i++].trim());
      i--;
      out.push("```", ...table, "```");
      continue;
    }
    const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(lines[i]);
    if (heading) {
      out.push(`**${heading[1].replace(/\*\*/g, "")}**`);
      continue;
    }
    out.push(lines[i].replace(/!\[([^\]\n]*)\]\(([^)\s]+)\)/g, (_, alt: string, url: string) => `[${alt || url}](${url})`));
  }
  return out.join("\n");
}

const isTableRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);

/** An interactive card (JSON 1.0) carrying one markdown element: the `content` of an `interactive` message. */
export function markdownCard(markdown: string): string {
  return JSON.stringify({ config: { wide_screen_mode: true }, elements: [{ tag: "markdown", content: markdownToCardMarkdown(markdown) }] });
}
