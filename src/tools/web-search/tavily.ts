import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface TavilyResponse {
  results?: Array<{ title?: string; url?: string; content?: string }>;
}

export const tavily: SearchProviderSpec = {
  name: "tavily",
  requires: "apiKey",
  keyEnv: "TAVILY_API_KEY",
  defaultBaseUrl: "https://api.tavily.com/search",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const body = await fetchJson<TavilyResponse>("tavily", baseUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, max_results: count, search_depth: "basic" }),
      signal,
    });
    return (body.results ?? []).map((r) => ({ title: clean(r.title), url: r.url ?? "", snippet: clean(r.content) }));
  },
};
