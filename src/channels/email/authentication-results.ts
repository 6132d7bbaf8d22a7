/**
 * Sender authentication from the `Authentication-Results` header (RFC 8601) that Cloudflare Email Routing
 * prepends on receipt. Only the topmost header counts: a sender can put any number of forged
 * Authentication-Results lines into the message itself, below the one the receiving server adds.
 */
export interface AuthVerdict {
  pass: boolean;
  /** e.g. `spf=pass dkim=fail dmarc=none`, for the log line when mail is dropped. */
  summary: string;
}

const METHODS = ["spf", "dkim", "dmarc"] as const;

/** All three of SPF, DKIM and DMARC must say `pass` (any passing DKIM signature counts). */
export function authVerdict(headers: Array<{ key: string; value: string }>): AuthVerdict {
  const header = headers.find((h) => h.key.toLowerCase() === "authentication-results");
  if (!header) return { pass: false, summary: "no Authentication-Results header" };
  // `authserv-id; method=result (comment) prop=value; …`: comments removed, then one result per method.
  const text = header.value.replace(/\([^()]*\)/g, " ");
  const results = new Map<string, string[]>();
  // Only the `method=result` that starts each `;`-separated result counts: property values that follow it
  // (`smtp.mailfrom=spf=pass@evil.example`) are chosen by the sender.
  for (const segment of text.split(";").slice(1)) {
    const match = /^\s*(spf|dkim|dmarc)\s*=\s*([a-z]+)\b/i.exec(segment);
    if (!match) continue;
    const method = match[1].toLowerCase();
    results.set(method, [...(results.get(method) ?? []), match[2].toLowerCase()]);
  }
  const verdict = METHODS.map((m) => [m, results.get(m)?.includes("pass") ? "pass" : (results.get(m)?.[0] ?? "none")] as const);
  return { pass: verdict.every(([, r]) => r === "pass"), summary: verdict.map(([m, r]) => `${m}=${r}`).join(" ") };
}
