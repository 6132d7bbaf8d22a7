/**
 * Web search providers on loopback, each under `/<provider>/…` and answering in that provider's real wire
 * format (DuckDuckGo's HTML endpoint, Brave, Tavily, SearXNG, Jina, Kagi, Exa, Serper) and checking its
 * real auth header. Three hits per query (`<Provider> result <i> for <q>`); a query containing `no-results`
 * gets none. `GET /__requests?provider=brave` lists what each provider received.
 */
import type http from "node:http";
import { listen, readBody, sendJson, type RunningStandIn } from "./http-stand-in.ts";

interface Hit {
  title: string;
  url: string;
  snippet: string;
}
interface Recorded {
  provider: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const hitsFor = (provider: string, q: string): Hit[] =>
  q.includes("no-results")
    ? []
    : [1, 2, 3].map((i) => ({
        title: `${provider} result ${i} for ${q}`,
        url: `https://example.com/${provider}/${i}?q=${encodeURIComponent(q)}`,
        snippet: `Snippet ${i} about ${q} from ${provider}.`,
      }));

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function duckDuckGoHtml(q: string, hits: Hit[]): string {
  const ad = `<div class="result results_links results_links_deep result--ad">
  <div class="links_main links_deep result__body"><h2 class="result__title"><a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=ads.example">Sponsored widgets</a></h2>
  <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=ads.example">Buy widgets</a></div></div>`;
  const rows = hits.map(
    (h) => `<div class="result results_links results_links_deep web-result ">
  <div class="links_main links_deep result__body">
    <h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg=${encodeURIComponent(h.url)}&amp;rut=abc123">${escapeHtml(h.title).replace("result", "<b>result</b>")}</a></h2>
    <div class="result__extras"><div class="result__extras__url"><a class="result__url" href="//duckduckgo.com/l/?uddg=${encodeURIComponent(h.url)}">example.com</a></div></div>
    <a class="result__snippet" href="//duckduckgo.com/l/?uddg=${encodeURIComponent(h.url)}">${escapeHtml(h.snippet)}</a>
    <div class="clear"></div>
  </div></div>`,
  );
  const empty = hits.length ? "" : `<div class="no-results">No  results.</div>`;
  return `<!DOCTYPE html><html><head><title>${escapeHtml(q)} at DuckDuckGo</title></head><body>
<div id="links" class="results">${hits.length ? ad : ""}${rows.join("\n")}${empty}</div></body></html>`;
}

function unauthorized(res: http.ServerResponse, provider: string) {
  sendJson(res, 401, { error: `${provider}: missing or invalid API key` });
}

export async function startSearch(): Promise<RunningStandIn> {
  const recorded: Recorded[] = [];
  return listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname === "/__requests") return sendJson(res, 200, recorded.filter((r) => r.provider === url.searchParams.get("provider")));
    const provider = url.pathname.split("/")[1] ?? "";
    const body = await readBody(req);
    recorded.push({ provider, method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
    const json = () => (body ? JSON.parse(body) : {});
    const h = req.headers;

    switch (provider) {
      case "duckduckgo": {
        const q = req.method === "POST" ? (new URLSearchParams(body).get("q") ?? "") : (url.searchParams.get("q") ?? "");
        return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(duckDuckGoHtml(q, hitsFor("DuckDuckGo", q)));
      }
      case "brave": {
        if (!h["x-subscription-token"]) return unauthorized(res, provider);
        const q = url.searchParams.get("q") ?? "";
        const results = hitsFor("Brave", q).slice(0, Number(url.searchParams.get("count") ?? 20));
        return sendJson(res, 200, {
          type: "search",
          query: { original: q, more_results_available: false },
          web: { type: "search", family_friendly: true, results: results.map((r) => ({ type: "search_result", title: r.title, url: r.url, description: r.snippet, is_source_local: false })) },
        });
      }
      case "tavily": {
        const b = json();
        if (!String(h.authorization ?? "").startsWith("Bearer ") && !b.api_key) return unauthorized(res, provider);
        const results = hitsFor("Tavily", b.query ?? "").slice(0, b.max_results ?? 5);
        return sendJson(res, 200, {
          query: b.query,
          answer: null,
          images: [],
          results: results.map((r, i) => ({ title: r.title, url: r.url, content: r.snippet, score: 0.9 - i / 10, raw_content: null })),
          response_time: 0.42,
        });
      }
      case "searxng": {
        if (url.searchParams.get("format") !== "json") return res.writeHead(403, { "content-type": "text/plain" }).end("Forbidden");
        const q = url.searchParams.get("q") ?? "";
        const results = hitsFor("SearXNG", q);
        return sendJson(res, 200, {
          query: q,
          number_of_results: results.length,
          results: results.map((r) => ({ url: r.url, title: r.title, content: r.snippet, engine: "brave", engines: ["brave"], score: 1, category: "general" })),
          answers: [],
          corrections: [],
          infoboxes: [],
          suggestions: [],
          unresponsive_engines: [],
        });
      }
      case "jina": {
        if (!String(h.authorization ?? "").startsWith("Bearer ")) return unauthorized(res, provider);
        const q = url.searchParams.get("q") ?? "";
        return sendJson(res, 200, {
          code: 200,
          status: 20000,
          data: hitsFor("Jina", q).map((r) => ({ title: r.title, url: r.url, description: r.snippet, content: "", usage: { tokens: 100 } })),
        });
      }
      case "kagi": {
        if (!String(h.authorization ?? "").startsWith("Bot ")) return unauthorized(res, provider);
        const q = url.searchParams.get("q") ?? "";
        const results = hitsFor("Kagi", q).slice(0, Number(url.searchParams.get("limit") ?? 10));
        return sendJson(res, 200, {
          meta: { id: "req-1", node: "us-east", ms: 120, api_balance: 9.5 },
          data: [...results.map((r, i) => ({ t: 0, rank: i + 1, url: r.url, title: r.title, snippet: r.snippet })), { t: 1, list: [`${q} related`] }],
        });
      }
      case "exa": {
        if (!h["x-api-key"]) return unauthorized(res, provider);
        const b = json();
        const results = hitsFor("Exa", b.query ?? "").slice(0, b.numResults ?? 10);
        return sendJson(res, 200, {
          requestId: "exa-req-1",
          resolvedSearchType: "neural",
          results: results.map((r, i) => ({ id: r.url, title: r.title, url: r.url, publishedDate: null, author: null, score: 0.5, highlights: [r.snippet], highlightScores: [0.8 - i / 10] })),
        });
      }
      case "serper": {
        if (!h["x-api-key"]) return unauthorized(res, provider);
        const b = json();
        const results = hitsFor("Serper", b.q ?? "").slice(0, b.num ?? 10);
        return sendJson(res, 200, {
          searchParameters: { q: b.q, type: "search", engine: "google" },
          organic: results.map((r, i) => ({ title: r.title, link: r.url, snippet: r.snippet, position: i + 1 })),
          credits: 1,
        });
      }
      case "jina-reader": {
        // r.jina.ai: GET /<target url> → markdown of the page.
        const target = decodeURIComponent(url.pathname.slice("/jina-reader/".length)) + url.search;
        return res
          .writeHead(200, { "content-type": "text/plain; charset=utf-8" })
          .end(`Title: Reader view\n\nURL Source: ${target}\n\nMarkdown Content:\nJina reader markdown for ${target}`);
      }
      default:
        return sendJson(res, 404, { error: `no stand-in for ${url.pathname}` });
    }
  });
}
