import { parseIpv4, parseIpv6, type IpBytes } from "./ip-address.ts";

/**
 * DNS-over-HTTPS lookups (the JSON API of Cloudflare/Google: `?name=…&type=A`, `accept: application/dns-json`).
 * Workers have no resolver API, so the SSRF guard asks a DoH server what a name points at before fetching.
 */

export type ResolveResult = { ok: true; addresses: IpBytes[] } | { ok: false; reason: string };

export interface ResolveOptions {
  dohUrl: string;
  fetcher?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
}

interface DohAnswer {
  type?: number;
  data?: string;
}

const RECORD_A = 1;
const RECORD_AAAA = 28;
// Short: the fetch that follows happens within seconds, and a long cache would widen the rebinding window.
const CACHE_MS = 30_000;
const cache = new Map<string, { at: number; addresses: IpBytes[] }>();

async function query(name: string, type: "A" | "AAAA", options: ResolveOptions): Promise<{ status: number; answers: DohAnswer[] }> {
  const url = new URL(options.dohUrl);
  url.searchParams.set("name", name);
  url.searchParams.set("type", type);
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 5_000)];
  if (options.signal) signals.push(options.signal);
  const res = await (options.fetcher ?? fetch)(url, { headers: { accept: "application/dns-json" }, signal: AbortSignal.any(signals) });
  if (!res.ok) throw new Error(`resolver answered HTTP ${res.status}`);
  const body = (await res.json()) as { Status?: number; Answer?: DohAnswer[] };
  return { status: body.Status ?? 0, answers: Array.isArray(body.Answer) ? body.Answer : [] };
}

/** Every A and AAAA address of `name` (CNAME chains are already flattened by the resolver). */
export async function resolveHost(name: string, options: ResolveOptions): Promise<ResolveResult> {
  const key = `${options.dohUrl}|${name}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return { ok: true, addresses: hit.addresses };
  let results: Array<{ status: number; answers: DohAnswer[] }>;
  try {
    results = await Promise.all([query(name, "A", options), query(name, "AAAA", options)]);
  } catch (err) {
    return { ok: false, reason: `Cannot resolve hostname ${name}: DNS-over-HTTPS lookup failed (${(err as Error).message})` };
  }
  const addresses: IpBytes[] = [];
  for (const { answers } of results) {
    for (const answer of answers) {
      if (typeof answer.data !== "string") continue;
      if (answer.type === RECORD_A) {
        const ip = parseIpv4(answer.data);
        if (ip) addresses.push(ip);
      } else if (answer.type === RECORD_AAAA) {
        const ip = parseIpv6(answer.data);
        if (ip) addresses.push(ip);
      }
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `Cannot resolve hostname ${name}` };
  cache.set(key, { at: Date.now(), addresses });
  return { ok: true, addresses };
}
