/**
 * Markdown (as models write it) → the subset DingTalk's markdown messages render: headings, bold, italic,
 * links, images, lists and quotes. Code blocks and tables are not rendered there, so their lines are kept as
 * they are (code without its fences, table rows without the separator line); ~~strike~~ and `code` lose
 * their markers. DingTalk joins single newlines, so each line ends with two spaces (its documented break).
 */
export function markdownToDingtalk(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(/\r\n/g, "\n").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out.push(line);
      continue;
    }
    if (/^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/.test(line) && line.includes("-") && line.includes("|")) continue;
    out.push(line.replace(/~~(?=\S)([^~]*?\S)~~/g, "$1").replace(/`([^`\n]+)`/g, "$1"));
  }
  return out.map((l) => (l.trim() ? `${l}  ` : l)).join("\n");
}

/** The notification title of a markdown message (what the chat list shows): its first words. */
export function markdownTitle(markdown: string): string {
  const first = markdown.split("\n").find((l) => l.trim()) ?? "";
  const plain = first.replace(/[#*_>`~[\]()!-]/g, "").trim();
  return plain.length > 30 ? `${plain.slice(0, 29)}…` : plain || "nanobot";
}
