/**
 * Markdown → plain text for QQ: its text messages (msg_type 0) show markup characters literally, and native
 * Markdown (msg_type 2) needs a permission most bots do not have. Emphasis markers go, headings become plain
 * lines, bullets "•", links "label (url)", code keeps its text without the fences.
 */
export function markdownToPlain(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.replace(/\r\n/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(line);
      continue;
    }
    const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      out.push(inline(heading[1]));
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1]}• ${inline(bullet[2])}`);
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    out.push(quote ? `| ${inline(quote[1])}` : inline(line));
  }
  return out.join("\n");
}

function inline(line: string): string {
  const held: string[] = [];
  const hold = (s: string) => `\u0000${held.push(s) - 1}\u0000`;
  let text = line.replace(/`([^`\n]+)`/g, (_, code: string) => hold(code));
  text = text.replace(/!?\[([^\]\n]*)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => hold(label && label !== url ? `${label} (${url})` : url));
  text = text
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, "$1")
    .replace(/(^|[^\w])__(?=\S)([^_]*?\S)__(?!\w)/g, "$1$2")
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, "$1$2")
    .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])_(?!\w)/g, "$1$2")
    .replace(/~~(?=\S)([^~]*?\S)~~/g, "$1");
  return text.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]);
}
