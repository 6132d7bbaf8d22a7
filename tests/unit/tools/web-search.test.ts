import { describe, expect, it } from "vitest";
import { webSearchTool } from "../../../src/tools/web-search/web-search-tool.ts";
import { standIns } from "../../support/llm-script.ts";
import { runWebTool } from "./web-harness.ts";

const si = standIns();
const endpoints: Record<string, string> = {
  duckduckgo: `${si.search}/duckduckgo/html/`,
  brave: `${si.search}/brave/res/v1/web/search`,
  tavily: `${si.search}/tavily/search`,
  searxng: `${si.search}/searxng`,
  jina: `${si.search}/jina/`,
  kagi: `${si.search}/kagi/api/v0/search`,
  exa: `${si.search}/exa/search`,
  serper: `${si.search}/serper/search`,
};
const labels: Record<string, string> = {
  duckduckgo: "DuckDuckGo", brave: "Brave", tavily: "Tavily", searxng: "SearXNG", jina: "Jina", kagi: "Kagi", exa: "Exa", serper: "Serper",
};
const authHeader: Record<string, [string, string]> = {
  brave: ["x-subscription-token", "key-brave"],
  tavily: ["authorization", "Bearer key-tavily"],
  jina: ["authorization", "Bearer key-jina"],
  kagi: ["authorization", "Bot key-kagi"],
  exa: ["x-api-key", "key-exa"],
  serper: ["x-api-key", "key-serper"],
};

/** Every provider pointed at its stand-in; `apiKey` only for the one chosen. */
function searchTools(provider: string, apiKey = `key-${provider}`) {
  const providers = Object.fromEntries(Object.entries(endpoints).map(([name, baseUrl]) => [name, { baseUrl }]));
  return { web: { search: { provider, apiKey, providers } } };
}

async function search(provider: string, query: string, count?: number, apiKey?: string): Promise<string> {
  const result = await runWebTool(webSearchTool, count === undefined ? { query } : { query, count }, searchTools(provider, apiKey));
  if (typeof result !== "string") throw new Error("expected text");
  return result;
}

async function received(provider: string, query: string) {
  const all = (await (await fetch(`${si.search}/__requests?provider=${provider}`)).json()) as Array<{ headers: Record<string, string>; body: string; query: Record<string, string> }>;
  return all.filter((r) => r.body.includes(query) || Object.values(r.query).some((v) => v.includes(query)));
}

describe("web_search", () => {
  for (const provider of Object.keys(endpoints)) {
    it(`should list ${provider} results as numbered title, url and snippet`, async () => {
      const query = `lighthouses ${crypto.randomUUID().slice(0, 6)}`;
      const text = await search(provider, query, 2);
      const label = labels[provider];
      expect(text).toBe(
        `Results for: ${query}\n\n` +
          `1. ${label} result 1 for ${query}\n   https://example.com/${label}/1?q=${encodeURIComponent(query)}\n   Snippet 1 about ${query} from ${label}.\n` +
          `2. ${label} result 2 for ${query}\n   https://example.com/${label}/2?q=${encodeURIComponent(query)}\n   Snippet 2 about ${query} from ${label}.`,
      );
      const auth = authHeader[provider];
      if (auth) {
        const [request] = await received(provider, query);
        expect(request.headers[auth[0]]).toBe(auth[1]);
      }
    });
  }

  it("should say so when there are no results", async () => {
    expect(await search("brave", "no-results here")).toBe("No results for: no-results here");
  });

  it("should fall back to DuckDuckGo when the provider's key is missing", async () => {
    const query = `fallback ${crypto.randomUUID().slice(0, 6)}`;
    const text = await search("brave", query, 1, "");
    expect(text).toContain(`1. DuckDuckGo result 1 for ${query}`);
    expect(await received("brave", query)).toHaveLength(0);
  });

  it("should return tools.web.search.maxResults results when no count is given", async () => {
    const tools = searchTools("serper");
    const result = await runWebTool(webSearchTool, { query: "count" }, { web: { search: { ...tools.web.search, maxResults: 2 } } });
    expect(String(result).match(/^\d+\. /gm)).toHaveLength(2);
  });

  it("should skip DuckDuckGo's ads", async () => {
    const text = await search("duckduckgo", "widgets");
    expect(text).not.toContain("Sponsored");
  });

  it("should name the valid providers for an unknown one", async () => {
    expect(await search("altavista", "x")).toMatch(/^Error: Unknown search provider 'altavista'\. .*duckduckgo, brave/);
  });

  it("should report a provider's HTTP error as a tool error", async () => {
    const result = await runWebTool(webSearchTool, { query: "x" }, { web: { search: { provider: "brave", apiKey: "k", baseUrl: `${si.search}/nowhere` } } });
    expect(result).toMatch(/^Error: web search via brave failed: brave answered HTTP 404/);
  });
});
