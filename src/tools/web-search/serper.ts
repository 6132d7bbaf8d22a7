import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

interface SerperResponse {
  organic?: Array<{ title?: string; link?: string; snippet?: string }>;
}

export const serper: SearchProviderSpec = {
  name: "serper",
  requires: "apiKey",
  keyEnv: "SERPER_API_KEY",
  defaultBaseUrl: "https://google.serper.dev/search",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const body = await fetchJson<SerperResponse>("serper", baseUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ q: query, num: count }),
      signal,
    });
    return (body.organic ?? []).map((r) => ({ title: clean(r.title), url: r.link ?? "", snippet: clean(r.snippet) }));
  },
};
