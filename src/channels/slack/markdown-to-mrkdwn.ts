import { toSingleMarkerEmphasis } from "../single-marker-emphasis.ts";

/**
 * Markdown (as models write it) → Slack mrkdwn: *bold*, _italic_, ~strike~, <url|label> links, code as is,
 * headings as bold lines, bullets as "•". `&`, `<` and `>` are escaped as Slack requires, except inside the
 * link syntax this function itself produces.
 */
export function markdownToMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(```|~~~)\s*[\w+#.-]*\s*$/.exec(lines[i]);
    if (fence) {
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !new RegExp(`^\\s*${fence[1]}\\s*$`).test(lines[j])) body.push(lines[j++]);
      out.push(`\`\`\`\n${escapeSlack(body.join("\n"))}\n\`\`\``);
      i = j;
      continue;
    }
    out.push(blockLine(lines[i]));
  }
  return out.join("\n");
}

export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function blockLine(line: string): string {
  const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `*${inline(heading[1]).replace(/\*/g, "")}*`;
  const quote = /^\s*>\s?(.*)$/.exec(line);
  if (quote) return `>${inline(quote[1])}`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${inline(bullet[2])}`;
  return inline(line);
}

function inline(line: string): string {
  const held: string[] = [];
  const hold = (s: string) => `\u0000${held.push(s) - 1}\u0000`;
  let text = line.replace(/`([^`\n]+)`/g, (_, code: string) => hold(`\`${escapeSlack(code)}\``));
  text = text.replace(/\[([^\]\n]+)\]\(([a-z]+:[^)\s]+)\)/g, (_, label: string, url: string) => hold(`<${url}|${escapeSlack(label).replace(/\|/g, "¦")}>`));
  text = toSingleMarkerEmphasis(escapeSlack(text));
  return text.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]);
}
