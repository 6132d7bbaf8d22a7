import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface JinaResponse {
  data?: Array<{ title?: string; url?: string; description?: string; content?: string }>;
}

export const jina: SearchProviderSpec = {
  name: "jina",
  requires: "apiKey",
  keyEnv: "JINA_API_KEY",
  defaultBaseUrl: "https://s.jina.ai/",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const url = new URL(baseUrl);
    url.searchParams.set("q", query);
    const body = await fetchJson<JinaResponse>("jina", url.href, {
      headers: { accept: "application/json", authorization: `Bearer ${apiKey}`, "x-respond-with": "no-content" },
      signal,
    });
    return (body.data ?? []).slice(0, count).map((r) => ({ title: clean(r.title), url: r.url ?? "", snippet: clean(r.description || r.content) }));
  },
};
