import { markdownToTelegramHtml } from "../../channels/telegram/markdown-to-html.ts";
import { highlight } from "./highlight.ts";

/**
 * The model's Markdown as safe HTML. It reuses the Telegram converter, which escapes every character of the
 * input and emits only a fixed tag set (b, i, s, code, pre, a, blockquote) with http(s)/mailto links, so
 * untrusted model text cannot inject markup. Code blocks are then highlighted token by token (also escaped).
 */
export function renderMarkdown(markdown: string): string {
  // Images the agent produced arrive as `![path](data:image/…;base64,…)` (src/media/inline-media.ts): only that
  // exact shape becomes an <img>; everything around it goes through the escaping converter.
  const pieces = markdown.split(INLINE_IMAGE);
  if (pieces.length > 1) {
    let html = "";
    for (let i = 0; i < pieces.length; i += 3) {
      if (pieces[i]) html += renderText(pieces[i]);
      if (i + 2 < pieces.length) html += `<img class="inline-image" alt="${escapeAttr(pieces[i + 1])}" src="${pieces[i + 2]}">`;
    }
    return html;
  }
  return renderText(markdown);
}

/** Base64 data URLs of raster images only (no SVG, which can carry script). */
const INLINE_IMAGE = /!\[([^\]\n]{0,200})\]\((data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2})\)/g;

const escapeAttr = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function renderText(markdown: string): string {
  return markdownToTelegramHtml(markdown)
    .replace(/<a href=/g, '<a target="_blank" rel="noopener noreferrer" href=')
    .replace(/<pre><code(?: class="language-([\w+#.-]+)")?>([\s\S]*?)<\/code><\/pre>/g, (_, lang: string | undefined, body: string) =>
      `<pre><code class="hl${lang ? ` language-${lang}` : ""}">${highlight(unescape(body), lang ?? "")}</code></pre>`,
    );
}

const unescape = (html: string) => html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
