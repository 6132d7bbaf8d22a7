import { toSingleMarkerEmphasis } from "../single-marker-emphasis.ts";

/**
 * Markdown (as models write it) → WhatsApp's formatting: *bold*, _italic_, ~strike~, ```code``` and `code` as
 * they are, headings as bold lines, `[label](url)` as "label (url)" (WhatsApp links bare URLs only).
 */
export function markdownToWhatsapp(markdown: string): string {
  let inFence = false;
  return markdown
    .replace(/\r\n/g, "\n")
    .split("\n")
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return line.replace(/~~~/, "```").replace(/^(\s*```)[\w+#.-]+\s*$/, "$1");
      }
      if (inFence) return line;
      const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading) return `*${inline(heading[1]).replace(/\*/g, "")}*`;
      const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
      if (bullet) return `${bullet[1]}• ${inline(bullet[2])}`;
      return inline(line);
    })
    .join("\n");
}

function inline(line: string): string {
  const held: string[] = [];
  const hold = (s: string) => `\u0000${held.push(s) - 1}\u0000`;
  let text = line.replace(/`[^`\n]+`/g, (code) => hold(code));
  text = text.replace(/\[([^\]\n]+)\]\(([a-z]+:[^)\s]+)\)/g, (_, label: string, url: string) => hold(label === url ? url : `${label} (${url})`));
  text = toSingleMarkerEmphasis(text);
  return text.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]);
}
