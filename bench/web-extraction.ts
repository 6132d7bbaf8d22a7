/**
 * Extraction throughput on a generated ~500 KB article page: the chosen DOM pipeline
 * (linkedom + @mozilla/readability + turndown, src/tools/web-fetch/html-extract.ts) against the runner-up,
 * HTMLRewriter streaming (lol-html; here its WASM build html-rewriter-wasm, since Node has no HTMLRewriter)
 * with a fixed skip-list of chrome elements. Also reports quality: article sentences kept, chrome leaked.
 *
 * Run: node bench/web-extraction.ts   → prints JSON.
 */
import { createRequire } from "node:module";
import { extractHtml } from "../src/tools/web-fetch/html-extract.ts";
import { ARTICLE_PHRASES, CHROME_PHRASES, articleHtml } from "../tests/support/web-fixtures.ts";

const require = createRequire(import.meta.url);
const { HTMLRewriter } = require("html-rewriter-wasm") as typeof import("html-rewriter-wasm");

/** The fixture article padded with paragraphs, plus div-soup chrome (no nav/aside tags) as many real sites have. */
function generatePage(targetBytes = 500 * 1024): string {
  const soup = Array.from(
    { length: 60 },
    (_, i) => `<div class="col"><div class="box"><a href="/story/${i}">Trending stories: celebrity chef ${i}</a> <a href="/deal/${i}">BUY CHEAP WIDGETS NOW</a></div></div>`,
  ).join("\n");
  let paragraphs = 100;
  let html = articleHtml(paragraphs);
  while (html.length + soup.length < targetBytes) {
    paragraphs += 100;
    html = articleHtml(paragraphs);
  }
  return html.replace("</main>", `</main>\n<div class="below-fold">${soup}</div>`);
}

/**
 * A typical heavy news page: a ~35 KB article inside ~500 KB of inline scripts, styles and div-soup chrome
 * (the text-only page above is the worst case for a DOM pipeline).
 */
function generateTypicalPage(targetBytes = 500 * 1024): string {
  const script = `<script>window.__STATE__ = ${JSON.stringify({ items: Array.from({ length: 400 }, (_, i) => ({ id: i, title: `Item ${i}`, tags: ["a", "b", "c"] })) })};</script>`;
  const style = `<style>${Array.from({ length: 800 }, (_, i) => `.c${i}{margin:${i}px;padding:0 ${i % 7}px;color:#${(i * 997).toString(16).padStart(6, "0").slice(0, 6)}}`).join("")}</style>`;
  let html = articleHtml(120).replace("</head>", `${style}${script}</head>`);
  let i = 0;
  while (html.length < targetBytes) {
    html = html.replace("</footer>", `<div class="promo-grid"><div class="card"><a href="/p/${i}"><img src="/i/${i}.jpg" alt="">Trending stories ${i}</a><span>BUY CHEAP WIDGETS NOW</span></div></div></footer>`);
    i++;
  }
  return html;
}

const SKIP = "script, style, noscript, nav, header, footer, aside, iframe, svg, form, [class~=ad], [class~=sidebar]";
const BLOCKS = ["p", "li", "h1", "h2", "h3", "h4", "pre", "tr", "br"];

/** Runner-up: one streaming pass, text outside the skip list, block tags as line breaks and `#` headings. */
async function extractWithHtmlRewriter(html: string): Promise<string> {
  let skipDepth = 0;
  const out: string[] = [];
  const rewriter = new HTMLRewriter(() => {});
  rewriter.on(SKIP, {
    element(el) {
      skipDepth++;
      el.onEndTag(() => {
        skipDepth--;
      });
    },
  });
  for (const tag of BLOCKS) {
    rewriter.on(tag, {
      element(el) {
        if (skipDepth) return;
        out.push(tag.startsWith("h") && tag !== "hr" ? `\n\n${"#".repeat(Number(tag[1]))} ` : tag === "li" ? "\n- " : "\n\n");
      },
    });
  }
  rewriter.onDocument({
    text(chunk) {
      if (!skipDepth && chunk.text) out.push(chunk.text);
    },
  });
  await rewriter.write(new TextEncoder().encode(html));
  await rewriter.end();
  rewriter.free();
  return out.join("").replace(/[ \t]+/g, " ").replace(/\n\s*\n\s*/g, "\n\n").trim();
}

async function measure(name: string, run: () => Promise<string> | string, runs: number) {
  for (let i = 0; i < 3; i++) await run(); // warm-up (JIT, WASM instantiation)
  const times: number[] = [];
  let text = "";
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    text = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name,
    msPerPage: round(times.reduce((a, b) => a + b, 0) / runs),
    medianMs: round(times[Math.floor(runs / 2)]),
    minMs: round(times[0]),
    outputChars: text.length,
    articleSentencesKept: `${ARTICLE_PHRASES.filter((p) => text.includes(p)).length}/${ARTICLE_PHRASES.length}`,
    chromePhrasesLeaked: CHROME_PHRASES.filter((p) => text.includes(p)),
  };
}

const runs = Number(process.env.BENCH_RUNS ?? 20);
const pages = [];
for (const [page, html] of [["text-heavy article (worst case)", generatePage()], ["typical news page", generateTypicalPage()]] as const) {
  pages.push({
    page,
    pageBytes: html.length,
    results: [
      await measure("linkedom+readability+turndown (chosen)", () => extractHtml(html, "https://example.com/article", "markdown").text, runs),
      await measure("htmlrewriter-stream (lol-html via html-rewriter-wasm, runner-up)", () => extractWithHtmlRewriter(html), runs),
    ],
  });
}
console.log(JSON.stringify({ benchmark: "web-extraction", runs, node: process.version, pages }, null, 2));
