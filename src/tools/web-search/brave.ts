import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface BraveResponse {
  web?: { results?: Array<{ title?: string; url?: string; description?: string }> };
}

export const brave: SearchProviderSpec = {
  name: "brave",
  requires: "apiKey",
  keyEnv: "BRAVE_API_KEY",
  defaultBaseUrl: "https://api.search.brave.com/res/v1/web/search",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const url = new URL(baseUrl);
    url.searchParams.set("q", query);
    url.searchParams.set("count", String(count));
    const body = await fetchJson<BraveResponse>("brave", url.href, { headers: { accept: "application/json", "x-subscription-token": apiKey }, signal });
    return (body.web?.results ?? []).map((r) => ({ title: clean(r.title), url: r.url ?? "", snippet: clean(r.description) }));
  },
};
