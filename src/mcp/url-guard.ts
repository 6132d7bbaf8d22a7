import type { Config } from "../config/schema.ts";

/** Answers null when a URL may be contacted, else the refusal text (with the SSRF boundary note). */
export type McpUrlGuard = (url: string) => Promise<string | null>;

const NOTE = "This is a non-bypassable security boundary.";

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m ? m.slice(1).map(Number) : null;
}

function isPrivateV4([a, b]: number[]): boolean {
  return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

function inCidr(ip: number[], cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const net = ipv4(base);
  if (!net) return false;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const toInt = (x: number[]) => ((x[0] << 24) | (x[1] << 16) | (x[2] << 8) | x[3]) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net) & mask);
}

/**
 * Literal-address check for MCP server URLs: private ranges refused unless in `tools.ssrfWhitelist` (IPv4
 * CIDRs), literal loopback allowed.
 * TODO(lead): once src/security/ssrf-guard.ts (branch `web`) is on main, replace the body with
 * `checkUrl(url, ssrfOptionsFromConfig(config))` so hostnames are resolved (DoH) and IPv6 is covered too.
 */
export function literalMcpUrlGuard(config: Config): McpUrlGuard {
  return async (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return `Invalid MCP server URL '${text}'.`;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return `Only http/https allowed, got '${url.protocol.replace(":", "")}'.`;
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const ip = ipv4(host);
    // Literal loopback is allowed, as in nanobot: MCP servers on the same machine are the common local setup,
    // the URL comes from the operator's config (not from the model), and a deployed Worker cannot reach it.
    if (host === "localhost" || host === "::1" || ip?.[0] === 127) return null;
    const privateV6 = host.startsWith("fc") || host.startsWith("fd") || host.startsWith("fe80");
    if (ip && isPrivateV4(ip) && !config.tools.ssrfWhitelist.some((c) => inCidr(ip, c))) {
      return `Blocked: ${host} is an internal/private address. ${NOTE} Add it to tools.ssrfWhitelist if this server is yours.`;
    }
    if (!ip && privateV6) return `Blocked: ${host} is an internal/private address. ${NOTE}`;
    return null;
  };
}
