import { clean, fetchJson, type SearchProviderSpec } from "./types.ts";

/** Kagi mixes result rows (`t: 0`) with related-search rows (`t: 1`). */
interface KagiResponse {
  data?: Array<{ t?: number; title?: string; url?: string; snippet?: string }>;
}

export const kagi: SearchProviderSpec = {
  name: "kagi",
  requires: "apiKey",
  keyEnv: "KAGI_API_KEY",
  defaultBaseUrl: "https://kagi.com/api/v0/search",
  async search({ query, count, apiKey, baseUrl, signal }) {
    const url = new URL(baseUrl);
    url.searchParams.set("q", query);
    url.searchParams.set("limit", String(count));
    const body = await fetchJson<KagiResponse>("kagi", url.href, { headers: { authorization: `Bot ${apiKey}` }, signal });
    return (body.data ?? [])
      .filter((r) => r.t === 0)
      .slice(0, count)
      .map((r) => ({ title: clean(r.title), url: r.url ?? "", snippet: clean(r.snippet) }));
  },
};
