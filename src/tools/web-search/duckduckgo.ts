import { parseHTML } from "linkedom";
import type { SearchHit, SearchProviderSpec } from "./types.ts";

/** DuckDuckGo links go through `//duckduckgo.com/l/?uddg=<target>`; return the target itself. */
function unwrap(href: string): string {
  try {
    const url = new URL(href, "https://duckduckgo.com");
    return url.searchParams.get("uddg") ?? url.href;
  } catch {
    return href;
  }
}

export const duckduckgo: SearchProviderSpec = {
  name: "duckduckgo",
  requires: "nothing",
  defaultBaseUrl: "https://html.duckduckgo.com/html/",
  async search({ query, count, baseUrl, userAgent, signal }) {
    const res = await fetch(baseUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent, accept: "text/html" },
      body: new URLSearchParams({ q: query, kl: "wt-wt" }).toString(),
      signal,
    });
    if (!res.ok) throw new Error(`duckduckgo answered HTTP ${res.status}`);
    const { document } = parseHTML(await res.text());
    const hits: SearchHit[] = [];
    for (const result of document.querySelectorAll(".result")) {
      if (result.classList.contains("result--ad")) continue;
      const link = result.querySelector("a.result__a");
      if (!link) continue;
      hits.push({
        title: (link.textContent ?? "").replace(/\s+/g, " ").trim(),
        url: unwrap(link.getAttribute("href") ?? ""),
        snippet: (result.querySelector(".result__snippet")?.textContent ?? "").replace(/\s+/g, " ").trim(),
      });
      if (hits.length >= count) break;
    }
    return hits;
  },
};
