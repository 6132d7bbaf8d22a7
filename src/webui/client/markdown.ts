import { markdownToTelegramHtml } from "../../channels/telegram/markdown-to-html.ts";
import { highlight } from "./highlight.ts";

/**
 * The model's Markdown as safe HTML. It reuses the Telegram converter, which escapes every character of the
 * input and emits only a fixed tag set (b, i, s, code, pre, a, blockquote) with http(s)/mailto links, so
 * untrusted model text cannot inject markup. Code blocks are then highlighted token by token (also escaped).
 */
export function renderMarkdown(markdown: string): string {
  return markdownToTelegramHtml(markdown)
    .replace(/<a href=/g, '<a target="_blank" rel="noopener noreferrer" href=')
    .replace(/<pre><code(?: class="language-([\w+#.-]+)")?>([\s\S]*?)<\/code><\/pre>/g, (_, lang: string | undefined, body: string) =>
      `<pre><code class="hl${lang ? ` language-${lang}` : ""}">${highlight(unescape(body), lang ?? "")}</code></pre>`,
    );
}

const unescape = (html: string) => html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
