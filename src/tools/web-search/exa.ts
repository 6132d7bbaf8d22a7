import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface ExaResponse {
  results?: Array<{ title?: string | null; url?: string; highlights?: string[]; summary?: string; text?: string }>;
}

export const exa: SearchProviderSpec = {
  name: "exa",
  requires: "apiKey",
  keyEnv: "EXA_API_KEY",
  defaultBaseUrl: "https://api.exa.ai/search",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const body = await fetchJson<ExaResponse>("exa", baseUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ query, numResults: count, contents: { highlights: { numSentences: 2 } } }),
      signal,
    });
    return (body.results ?? []).map((r) => ({
      title: clean(r.title),
      url: r.url ?? "",
      snippet: clean(r.highlights?.[0] ?? r.summary ?? r.text?.slice(0, 300)),
    }));
  },
};
