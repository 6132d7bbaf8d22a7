export interface SearchHit {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchRequest {
  query: string;
  count: number;
  apiKey: string;
  /** The provider endpoint (SearXNG: the instance root). */
  baseUrl: string;
  userAgent: string;
  signal: AbortSignal;
}

/** One search backend: adding a provider is one of these in registry.ts. */
export interface SearchProviderSpec {
  name: string;
  /** What the provider cannot work without; when missing, web_search falls back to DuckDuckGo. */
  requires: "apiKey" | "baseUrl" | "nothing";
  /** Worker variable read when the config has no key (nanobot's names). */
  keyEnv?: string;
  baseUrlEnv?: string;
  defaultBaseUrl: string;
  search(request: SearchRequest): Promise<SearchHit[]>;
}

/** fetch + JSON with an error that names the provider and the HTTP status. */
export async function fetchJson<T>(provider: string, url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) {
    const detail = (await res.text().catch(() => "")).slice(0, 200);
    throw new Error(`${provider} answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`);
  }
  return (await res.json()) as T;
}

export const clean = (s: unknown) => (typeof s === "string" ? s.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim() : "");
