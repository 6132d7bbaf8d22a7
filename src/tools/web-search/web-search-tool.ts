import { z } from "zod";
import { DEFAULT_SEARCH_PROVIDER, SEARCH_PROVIDERS } from "./registry.ts";
import type { SearchHit, SearchProviderSpec } from "./types.ts";
import { defineTool, type ToolContext } from "../types.ts";

const webSearchParams = z.object({
  query: z.string().min(1).describe("What to search the web for."),
  count: z.number().int().min(1).max(10).optional().describe("Number of results (1-10)."),
});

interface ResolvedProvider {
  spec: SearchProviderSpec;
  apiKey: string;
  baseUrl: string;
}

const envString = (ctx: ToolContext, name: string | undefined) => (name && typeof ctx.env[name] === "string" ? (ctx.env[name] as string) : "");

/** The configured provider with its key and endpoint; DuckDuckGo when what it needs is missing (as nanobot). */
export function resolveSearchProvider(ctx: ToolContext): ResolvedProvider | string {
  const search = ctx.config.tools.web.search;
  const name = search.provider.trim().toLowerCase() || DEFAULT_SEARCH_PROVIDER.name;
  const spec = SEARCH_PROVIDERS.get(name);
  if (!spec) return `Error: Unknown search provider '${search.provider}'. Set tools.web.search.provider to one of: ${[...SEARCH_PROVIDERS.keys()].join(", ")}.`;
  const settingsFor = (s: SearchProviderSpec, primary: boolean): ResolvedProvider => {
    const own = search.providers[s.name] ?? {};
    return {
      spec: s,
      apiKey: own.apiKey || (primary ? search.apiKey : "") || envString(ctx, s.keyEnv),
      baseUrl: own.baseUrl || (primary ? search.baseUrl : "") || envString(ctx, s.baseUrlEnv) || s.defaultBaseUrl,
    };
  };
  const chosen = settingsFor(spec, true);
  const missing = spec.requires === "apiKey" && !chosen.apiKey ? "apiKey" : spec.requires === "baseUrl" && !chosen.baseUrl ? "baseUrl" : null;
  if (!missing) return chosen;
  console.log(JSON.stringify({ event: "web_search_fallback", provider: spec.name, missing, fallback: DEFAULT_SEARCH_PROVIDER.name }));
  return settingsFor(DEFAULT_SEARCH_PROVIDER, false);
}

export function formatSearchResults(query: string, hits: SearchHit[]): string {
  if (hits.length === 0) return `No results for: ${query}`;
  const lines = [`Results for: ${query}\n`];
  hits.forEach((hit, i) => {
    lines.push(`${i + 1}. ${hit.title}\n   ${hit.url}`);
    if (hit.snippet) lines.push(`   ${hit.snippet}`);
  });
  return lines.join("\n");
}

export const webSearchTool = defineTool({
  name: "web_search",
  description: "Search the web. Returns titles, URLs and snippets; use web_fetch to read a result.",
  parameters: webSearchParams,
  readOnly: true,
  async execute(args, ctx) {
    const web = ctx.config.tools.web;
    if (!web.enable) return "Error: web tools are disabled (tools.web.enable is false).";
    const provider = resolveSearchProvider(ctx);
    if (typeof provider === "string") return provider;
    const count = Math.min(Math.max(args.count ?? web.search.maxResults, 1), 10);
    const started = Date.now();
    try {
      const hits = await provider.spec.search({
        query: args.query,
        count,
        apiKey: provider.apiKey,
        baseUrl: provider.baseUrl,
        userAgent: web.userAgent,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(web.search.timeoutS * 1000)]),
      });
      const valid = hits.filter((h) => h.url).slice(0, count);
      console.log(JSON.stringify({ event: "web_search", provider: provider.spec.name, results: valid.length, ms: Date.now() - started }));
      return formatSearchResults(args.query, valid);
    } catch (err) {
      console.log(JSON.stringify({ event: "web_search_error", provider: provider.spec.name, error: (err as Error).message.slice(0, 200) }));
      return `Error: web search via ${provider.spec.name} failed: ${(err as Error).message}. Try again later or rephrase the query.`;
    }
  },
});
