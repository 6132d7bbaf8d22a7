/**
 * Shared cache of web_fetch results in the Workers Cache API (per colo), so a busy bot does not refetch the
 * same page for every user. Pages sent with `Cache-Control: no-store` or `private`, and URLs carrying
 * credentials, are never stored.
 */
export interface CachedFetch {
  finalUrl: string;
  status: number;
  extractor: string;
  truncated: boolean;
  text: string;
}

// A reserved name (RFC 2606) so the key can never collide with a real page.
const keyFor = (url: string, mode: string) => new Request(`https://web-fetch.cache.invalid/${encodeURIComponent(mode)}/${encodeURIComponent(url)}`);

const defaultCache = (): Cache | null => (typeof caches !== "undefined" ? caches.default : null);

export function isStorable(cacheControl: string | null): boolean {
  return !/\b(no-store|private)\b/i.test(cacheControl ?? "");
}

export async function readCachedFetch(url: string, mode: string, cache = defaultCache()): Promise<CachedFetch | null> {
  if (!cache) return null;
  try {
    const hit = await cache.match(keyFor(url, mode));
    return hit ? ((await hit.json()) as CachedFetch) : null;
  } catch {
    return null;
  }
}

export async function writeCachedFetch(url: string, mode: string, value: CachedFetch, ttlS: number, cache = defaultCache()): Promise<void> {
  if (!cache || ttlS <= 0) return;
  const response = new Response(JSON.stringify(value), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${ttlS}` },
  });
  try {
    await cache.put(keyFor(url, mode), response);
  } catch (err) {
    console.log(JSON.stringify({ event: "web_fetch_cache_error", error: (err as Error).message }));
  }
}
