/** Page content shared by the web stand-in (Node) and the web tests (workerd). No Node imports here. */

export const ARTICLE_TITLE = "The Lighthouse Keeper of Ardnamurchan";
export const ARTICLE_PHRASES = [
  "Every night for thirty-one years, Morag climbed the one hundred and forty steps",
  "The lamp itself was a first-order Fresnel lens",
  "When the automation engineers arrived in 1988",
];
export const CHROME_PHRASES = ["BUY CHEAP WIDGETS NOW", "Subscribe to our newsletter", "Copyright 2026 Example Media Group", "Trending stories"];

// 1×1 transparent PNG.
export const PNG_1PX_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
export const BIG_BODY_BYTES = 20 * 1024 * 1024;

export function articleHtml(extraParagraphs = 0): string {
  const filler = Array.from(
    { length: extraParagraphs },
    (_, i) => `<p>Paragraph ${i + 1} of the keeper's log describes the weather, the passing ships and the state of the lamp in some detail, as keepers were required to do by the Northern Lighthouse Board.</p>`,
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${ARTICLE_TITLE} | Example Media</title>
<style>.ad{color:red}</style><script>window.tracker = function(){ return "tracking"; };</script></head>
<body>
<header class="site-header"><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav></header>
<div class="ad banner-ad" id="top-ad"><a href="https://ads.example/click">BUY CHEAP WIDGETS NOW</a></div>
<main><article>
<h1>${ARTICLE_TITLE}</h1>
<p class="byline">By Eilidh Grant</p>
<p>${ARTICLE_PHRASES[0]} to the lamp room, trimming the wick and winding the clockwork that turned the great lens. She kept a log of every ship that passed the point, and of every storm that tried to put out the light.</p>
<h2>The lamp</h2>
<p>${ARTICLE_PHRASES[1]}, built in Paris and shipped in crates to the end of the peninsula. Its <strong>beam</strong> reached eighteen nautical miles, and on clear nights sailors off Coll could see it <a href="/history/lens">sweep the sea</a>.</p>
<ul><li>Height of tower: 36 metres</li><li>First lit: 1849</li><li>Automated: 1988</li></ul>
<p>${ARTICLE_PHRASES[2]}, Morag handed over the keys and moved to a cottage in Kilchoan, from where she could still see the light turn every night until she died.</p>
${filler}
</article></main>
<aside class="sidebar"><h3>Trending stories</h3><ul><li><a href="/a">Celebrity chef opens new restaurant</a></li><li><a href="/b">Ten gadgets you need</a></li></ul>
<div class="ad">BUY CHEAP WIDGETS NOW — limited offer</div></aside>
<footer class="site-footer"><p>Copyright 2026 Example Media Group. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>`;
}

