/**
 * Markdown (as models write it) → the HTML subset Telegram's `parse_mode: "HTML"` accepts
 * (b, i, s, u, code, pre, a, blockquote). Every tag is produced as a closed pair on one line or around one
 * block, and everything else is escaped, so the result parses; `isBalancedTelegramHtml` double-checks and
 * the sender falls back to plain text if Telegram still answers "can't parse entities".
 */
export function markdownToTelegramHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  let quote: string[] = [];
  const flushQuote = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("\n")}</blockquote>`);
    quote = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(```|~~~)\s*([\w+#.-]*)\s*$/.exec(lines[i]);
    if (fence) {
      flushQuote();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !new RegExp(`^\\s*${fence[1]}\\s*$`).test(lines[j])) body.push(lines[j++]);
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : "";
      out.push(`<pre><code${lang}>${escapeHtml(body.join("\n"))}</code></pre>`);
      i = j; // skips the closing fence (or runs to the end when the block was never closed)
      continue;
    }
    const quoted = /^\s*>\s?(.*)$/.exec(lines[i]);
    if (quoted) {
      quote.push(inline(quoted[1]));
      continue;
    }
    flushQuote();
    out.push(blockLine(lines[i]));
  }
  flushQuote();
  return out.join("\n");
}

function blockLine(line: string): string {
  const heading = /^\s*#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `<b>${inline(heading[1])}</b>`;
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return "———";
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]}• ${inline(bullet[2])}`;
  return inline(line);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const escapeAttr = (text: string) => escapeHtml(text).replace(/"/g, "&quot;");

/** Inline spans of one line. Code spans and links are lifted out first so nothing inside them is reformatted. */
function inline(line: string): string {
  const held: string[] = [];
  const hold = (html: string) => `\u0000${held.push(html) - 1}\u0000`;
  let text = line.replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${escapeHtml(code)}</code>`));
  text = text.replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+|tg:\/\/[^)\s]+|mailto:[^)\s]+)\)/g, (_, label: string, url: string) =>
    hold(`<a href="${escapeAttr(url)}">${safeStyles(label)}</a>`),
  );
  // Overlapping markers ("**a *b** c*") would cross tags: such a line keeps its markers as plain text.
  text = safeStyles(text);
  return text.replace(/\u0000(\d+)\u0000/g, (_, n: string) => held[Number(n)]);
}

function safeStyles(raw: string): string {
  const styled = styles(escapeHtml(raw));
  return isBalancedTelegramHtml(styled) ? styled : escapeHtml(raw);
}

/** Bold, italic and strikethrough on already-escaped text; each pair must open and close in the same line. */
function styles(text: string): string {
  return text
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, "<b>$1</b>")
    .replace(/(^|[^\w])__(?=\S)([^_]*?\S)__(?!\w)/g, "$1<b>$2</b>")
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, "$1<i>$2</i>")
    .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_])_(?!\w)/g, "$1<i>$2</i>")
    .replace(/~~(?=\S)([^~]*?\S)~~/g, "<s>$1</s>");
}

const TAG = /<(\/?)([a-z]+)(?:\s[^>]*)?>/g;
const ALLOWED = new Set(["b", "i", "s", "u", "code", "pre", "a", "blockquote", "tg-spoiler"]);

/** True when every tag is allowed and properly nested (what Telegram's entity parser demands). */
export function isBalancedTelegramHtml(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(TAG)) {
    const [, closing, name] = m;
    if (!ALLOWED.has(name)) return false;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

/** The text Telegram counts against its 4096-character limit: tags removed, entities decoded. */
export function visibleTelegramText(html: string): string {
  return html.replace(TAG, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}
