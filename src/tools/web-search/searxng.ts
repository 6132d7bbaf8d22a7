import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface SearxResponse {
  results?: Array<{ title?: string; url?: string; content?: string }>;
}

/** A self-hosted SearXNG instance; `baseUrl` is its root and its settings must allow `format=json`. */
export const searxng: SearchProviderSpec = {
  name: "searxng",
  requires: "baseUrl",
  baseUrlEnv: "SEARXNG_BASE_URL",
  defaultBaseUrl: "",
  async search({ query, count, baseUrl, signal }) {
    const url = new URL(`${baseUrl.replace(/\/+$/, "")}/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("format", "json");
    const body = await fetchJson<SearxResponse>("searxng", url.href, { headers: { accept: "application/json" }, signal });
    return (body.results ?? []).slice(0, count).map((r) => ({ title: clean(r.title), url: r.url ?? "", snippet: clean(r.content) }));
  },
};
