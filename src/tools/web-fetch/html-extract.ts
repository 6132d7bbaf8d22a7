/**
 * HTML → clean markdown (or text): linkedom builds a DOM, @mozilla/readability (Firefox Reader View)
 * finds the main content and drops nav/ads/footers, turndown writes markdown. All three are plain JS and run
 * in workerd. (HTMLRewriter streams faster but cannot score content blocks; see bench/web-extraction.ts.)
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

export interface Extracted {
  title: string;
  text: string;
  extractor: "readability" | "html";
}

const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-" });
turndown.remove(["script", "style", "noscript", "iframe", "form", "button", "svg", "canvas"]);

type LinkedomDocument = ReturnType<typeof parseHTML>["document"];
type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

/** Links and images point at the page's URL, not at the reader's. */
function absolutize(document: LinkedomDocument, baseUrl: string): void {
  for (const [selector, attr] of [["a[href]", "href"], ["img[src]", "src"]] as const) {
    for (const el of document.querySelectorAll(selector)) {
      const value = el.getAttribute(attr);
      if (!value || value.startsWith("#") || /^(javascript|data):/i.test(value)) continue;
      try {
        el.setAttribute(attr, new URL(value, baseUrl).href);
      } catch {
        // leave malformed links as they are
      }
    }
  }
}

const tidy = (text: string) => text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();

type Element_ = ReturnType<LinkedomDocument["createElement"]>;

function toText(root: Element_): string {
  const doc = root.ownerDocument;
  for (const el of root.querySelectorAll("p, h1, h2, h3, h4, h5, h6, li, br, div, tr")) el.after(doc.createTextNode("\n"));
  return tidy((root.textContent ?? "").replace(/[ \t]{2,}/g, " "));
}

// turndown is handed DOM nodes, never strings: its string parser needs a browser `document`, which workerd lacks.
const toMarkdown = (root: Element_) => tidy(turndown.turndown(root as unknown as TurndownService.Node));

/**
 * Scripts, styles, comments and inline SVG never hold article text but are often most of a page's bytes;
 * dropping them before parsing makes the DOM (and Readability's passes over it) much smaller.
 */
const stripInert = (html: string) =>
  html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(script|style|noscript|svg|template)\b[\s\S]*?<\/\1\s*>/gi, "");

export function extractHtml(html: string, baseUrl: string, mode: "markdown" | "text"): Extracted {
  const { document } = parseHTML(stripInert(html));
  // Chrome Readability would score and discard anyway; removing it first saves much of its work. (Not <form>:
  // ASP.NET pages wrap the whole body in one.)
  for (const el of document.querySelectorAll("nav, footer, aside, iframe")) el.remove();
  absolutize(document, baseUrl);
  const pageTitle = (document.querySelector("title")?.textContent ?? "").trim();
  // The serializer hands back the content element itself, so it is not re-parsed from a string.
  const article = new Readability<Element_>(document as unknown as ReadabilityDocument, {
    charThreshold: 200,
    serializer: (el) => el as unknown as Element_,
  }).parse();
  if (article?.content) {
    const title = (article.title ?? pageTitle).trim();
    const body = mode === "markdown" ? toMarkdown(article.content) : toText(article.content);
    const heading = title && !body.includes(title) ? (mode === "markdown" ? `# ${title}\n\n` : `${title}\n\n`) : "";
    return { title, text: heading + body, extractor: "readability" };
  }
  // No article found (app shells, link lists): fall back to the whole body without the chrome we can name.
  for (const el of document.querySelectorAll("script, style, noscript, nav, header, footer, aside, iframe, svg")) el.remove();
  const body = document.body as Element_;
  const text = mode === "markdown" ? toMarkdown(body) : toText(body);
  return { title: pageTitle, text, extractor: "html" };
}
