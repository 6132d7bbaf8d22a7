import type { Config } from "../config/schema.ts";
import { parseIpLiteral } from "../security/ip-address.ts";
import { ssrfOptionsFromConfig } from "../security/ssrf-config.ts";
import { SSRF_BOUNDARY_NOTE, checkUrl } from "../security/ssrf-guard.ts";

/** Answers null when a URL may be contacted, else the refusal text (with the SSRF boundary note). */
export type McpUrlGuard = (url: string) => Promise<string | null>;

function isLiteralLoopback(text: string): boolean {
  try {
    const host = new URL(text).hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (host === "localhost") return true;
    const ip = parseIpLiteral(host);
    if (!ip) return false;
    return ip.length === 4 ? ip[0] === 127 : ip.every((b, i) => b === (i === 15 ? 1 : 0));
  } catch {
    return false;
  }
}

/**
 * MCP server URLs pass the SSRF guard (src/security/ssrf-guard.ts; `tools.ssrfWhitelist` exempts ranges),
 * every request and redirect of the transport included. Literal loopback is allowed, as nanobot's
 * allow_loopback: MCP servers on the same machine are the common local setup, the URL is the operator's
 * (config, not model output), and a deployed Worker cannot reach loopback anyway.
 */
export function ssrfMcpUrlGuard(config: Config, env: Record<string, unknown>): McpUrlGuard {
  const options = ssrfOptionsFromConfig(config, env);
  return async (url) => {
    if (isLiteralLoopback(url)) {
      const scheme = new URL(url).protocol;
      return scheme === "http:" || scheme === "https:" ? null : `Only http/https allowed, got '${scheme.replace(":", "")}'.`;
    }
    const verdict = await checkUrl(url, options);
    return verdict.ok ? null : `${verdict.reason}. ${SSRF_BOUNDARY_NOTE}`;
  };
}
