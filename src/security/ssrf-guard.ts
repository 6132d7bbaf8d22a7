/**
 * The SSRF guard: one place that decides whether a URL may be fetched, used by web_fetch, the exec URL
 * check, MCP HTTP transports and media downloads.
 *
 * Limit: Workers cannot pin a connection to the addresses we validated (fetch resolves again), so a DNS
 * rebinding race stays possible in principle; deployed Workers cannot reach private networks anyway, and the
 * short resolver cache keeps the window small.
 */
import { ipInCidr, parseCidrList, type Cidr } from "./cidr.ts";
import { isBlockedHostname, isBlockedIp, loopbackAddressesFor } from "./blocked-networks.ts";
import { resolveHost } from "./doh-resolver.ts";
import { formatIp, parseIpLiteral, type IpBytes } from "./ip-address.ts";

export interface SsrfOptions {
  /** `tools.ssrfWhitelist`: CIDRs (or single addresses) that may be fetched although private. */
  whitelist?: readonly string[];
  /** DNS-over-HTTPS JSON endpoint (`tools.web.dohUrl`); empty turns hostname resolution off (local dev). */
  dohUrl?: string;
  /** fetch used for the resolver and by safeFetch (tests and callers with a service binding). */
  fetcher?: typeof fetch;
  signal?: AbortSignal;
}

export interface SafeFetchOptions extends SsrfOptions {
  /** Redirects followed (each hop re-checked); default 5 as nanobot. */
  maxRedirects?: number;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export interface SafeFetchResult {
  response: Response;
  finalUrl: string;
  /** Every URL requested, first to last. */
  chain: string[];
}

/**
 * Appended to every SSRF refusal the model sees. One text shared with the turn safety policy, which adds it
 * to refusals that lack it (and so does not add it twice).
 */
export { SSRF_NOTE as SSRF_BOUNDARY_NOTE } from "../agent/safety/workspace-violations.ts";

export class SsrfBlockedError extends Error {
  override name = "SsrfBlockedError";
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const whitelistCache = new WeakMap<readonly string[], Cidr[]>();

function whitelistRanges(list: readonly string[] | undefined): Cidr[] {
  if (!list || list.length === 0) return [];
  let ranges = whitelistCache.get(list);
  if (!ranges) {
    const parsed = parseCidrList(list);
    if (parsed.invalid.length) console.log(JSON.stringify({ event: "ssrf_whitelist_invalid", entries: parsed.invalid }));
    ranges = parsed.ranges;
    whitelistCache.set(list, ranges);
  }
  return ranges;
}

const isWhitelisted = (ip: IpBytes, ranges: Cidr[]) => ranges.some((range) => ipInCidr(ip, range));

/** The host exactly as written between `//` and the path, after the last `@` — what curl would connect to. */
function rawHostOf(text: string): string | null {
  const match = /^[a-z][a-z0-9+.-]*:[/\\]{2}([^/\\?#]*)/i.exec(text);
  if (!match) return null;
  let authority = match[1];
  authority = authority.slice(authority.lastIndexOf("@") + 1);
  if (!authority.startsWith("[")) authority = authority.replace(/:\d*$/, "");
  try {
    return decodeURIComponent(authority).toLowerCase();
  } catch {
    return authority.toLowerCase();
  }
}

function refuseIp(host: string, ip: IpBytes, ranges: Cidr[]): string | null {
  if (!isBlockedIp(ip) || isWhitelisted(ip, ranges)) return null;
  return `Blocked: ${host} is an internal/private address (${formatIp(ip)})`;
}

/** Decides whether `input` may be fetched. Never connects to the target; may ask the DoH resolver. */
export async function checkUrl(input: string | URL, options: SsrfOptions = {}): Promise<UrlCheck> {
  const text = String(input).trim();
  const ranges = whitelistRanges(options.whitelist);

  // Defence in depth: also judge the host as written, in case a client parses it differently from WHATWG.
  const raw = rawHostOf(text);
  const rawIp = raw ? parseIpLiteral(raw.replace(/\.+$/, "")) : null;
  if (raw && rawIp) {
    const reason = refuseIp(raw, rawIp, ranges);
    if (reason) return { ok: false, reason };
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `Invalid URL '${text.slice(0, 200)}'` };
  }
  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https") return { ok: false, reason: `Only http/https allowed, got '${scheme}'` };
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  if (!host) return { ok: false, reason: "Missing domain" };

  const ip = parseIpLiteral(host);
  if (ip) {
    const reason = refuseIp(host, ip, ranges);
    return reason ? { ok: false, reason } : { ok: true, url };
  }

  if (isBlockedHostname(host)) {
    const loopback = loopbackAddressesFor(host);
    if (loopback && loopback.every((addr) => isWhitelisted(addr, ranges))) return { ok: true, url };
    return { ok: false, reason: `Blocked: ${host} is an internal/private hostname` };
  }

  if (!options.dohUrl) return { ok: true, url };
  const resolved = await resolveHost(host, { dohUrl: options.dohUrl, fetcher: options.fetcher, signal: options.signal });
  if (!resolved.ok) return { ok: false, reason: resolved.reason };
  for (const addr of resolved.addresses) {
    if (isBlockedIp(addr) && !isWhitelisted(addr, ranges)) {
      return { ok: false, reason: `Blocked: ${host} resolves to internal/private address ${formatIp(addr)}` };
    }
  }
  return { ok: true, url };
}

function nextRequestInit(init: RequestInit, status: number, from: URL, to: URL): RequestInit {
  const next: RequestInit = { ...init };
  const method = (init.method ?? "GET").toUpperCase();
  if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
    next.method = method === "HEAD" ? "HEAD" : "GET";
    delete next.body;
  }
  if (from.origin !== to.origin) {
    // Credentials meant for one origin must not follow a redirect to another.
    const headers = new Headers(init.headers);
    for (const name of ["authorization", "cookie", "proxy-authorization"]) headers.delete(name);
    next.headers = headers;
  }
  return next;
}

/**
 * fetch with every hop checked: redirects are followed by hand (at most `maxRedirects`), each target
 * validated before it is requested. Throws SsrfBlockedError when a hop is refused.
 */
export async function safeFetchDetailed(input: string | URL, init: RequestInit = {}, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const doFetch = options.fetcher ?? fetch;
  const chain: string[] = [];
  let current = String(input);
  let currentInit: RequestInit = init;
  for (let hop = 0; ; hop++) {
    const check = await checkUrl(current, options);
    if (!check.ok) throw new SsrfBlockedError(hop === 0 ? `URL validation failed: ${check.reason}` : `Redirect blocked: ${check.reason}`);
    chain.push(check.url.href);
    const response = await doFetch(check.url.href, { ...currentInit, redirect: "manual", signal: options.signal ?? currentInit.signal });
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || !location) return { response, finalUrl: check.url.href, chain };
    await response.body?.cancel();
    if (hop >= maxRedirects) throw new SsrfBlockedError(`Too many redirects: exceeded limit of ${maxRedirects}`);
    let next: URL;
    try {
      next = new URL(location, check.url);
    } catch {
      throw new SsrfBlockedError(`Redirect blocked: invalid Location '${location.slice(0, 200)}'`);
    }
    currentInit = nextRequestInit(currentInit, response.status, check.url, next);
    current = next.href;
  }
}

/** fetch-compatible wrapper of safeFetchDetailed (for MCP transports and media downloads). */
export async function safeFetch(input: string | URL, init: RequestInit = {}, options: SafeFetchOptions = {}): Promise<Response> {
  return (await safeFetchDetailed(input, init, options)).response;
}

/**
 * http(s) URLs written literally in a text (a shell command), each once. This is all the exec guard sees: URLs
 * a command assembles at run time, other schemes and raw sockets are invisible to it (README, "What exec's URL
 * check sees").
 */
export function urlsInText(text: string): string[] {
  return [...new Set(text.match(/\bhttps?:\/\/[^\s'"`<>|;&()\\]+/gi) ?? [])];
}

/**
 * Why a URL found in a command is refused, or null: checkUrl's verdict, except that text the URL parser
 * rejects is left alone (the command may not even use it as a URL).
 */
export async function urlInTextRefusal(url: string, options: SsrfOptions = {}): Promise<string | null> {
  const check = await checkUrl(url, options);
  if (check.ok || check.reason.startsWith("Invalid URL")) return null;
  return check.reason;
}

/** The exec guard's URL check over a whole text: the first refusal, or null when every URL may be fetched. */
export async function checkUrlsInText(text: string, options: SsrfOptions = {}): Promise<string | null> {
  for (const url of urlsInText(text)) {
    const reason = await urlInTextRefusal(url, options);
    if (reason) return reason;
  }
  return null;
}

/** True when a tool result text is an SSRF refusal (the turn safety policy adds the boundary note to these). */
export const isSsrfRefusal = (text: string) => /internal\/private/i.test(text);
