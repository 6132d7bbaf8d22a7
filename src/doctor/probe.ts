/** One HTTP request with a short deadline; failures become a sentence saying why (DNS, refused, timeout). */
export type ProbeResult = { ok: true; response: Response } | { ok: false; reason: string };

/** Doctor checks must answer quickly: a dead host should not hold the whole report. */
export const PROBE_TIMEOUT_MS = 5000;

export function describeNetworkError(err: unknown, url: string, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  const host = safeHost(url);
  if (error?.name === "TimeoutError" || error?.name === "AbortError") return `${host} did not answer within ${Math.round(timeoutMs / 1000)} s (timeout)`;
  const text = `${error?.message ?? String(err)} ${error?.cause?.code ?? ""} ${error?.cause?.message ?? ""}`;
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|DNS|resolve host|name not resolved/i.test(text)) return `${host} was not found (DNS lookup failed)`;
  if (/ECONNREFUSED|connection refused|connect\(\)|Network connection lost|couldn't connect/i.test(text)) {
    return `${host} refused the connection (nothing listens there)`;
  }
  if (/certificate|TLS|SSL/i.test(text)) return `${host}: TLS handshake failed (${text.trim().slice(0, 120)})`;
  return `${host} is not reachable (${text.trim().slice(0, 160)})`;
}

function safeHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "the URL";
  }
}

export async function probe(url: string, init: RequestInit = {}, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  try {
    return { ok: true, response: await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }) };
  } catch (err) {
    return { ok: false, reason: describeNetworkError(err, url, timeoutMs) };
  }
}

/** The `message`/`description`/`error` of a JSON error body, or its first characters. */
export async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string; description?: string };
    const msg = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message ?? body.description);
    if (msg) return msg.slice(0, 200);
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 200) || `HTTP ${res.status}`;
}

/** The machine-readable error code of an OpenAI/Anthropic error body (`invalid_api_key`, `authentication_error`). */
export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: unknown; type?: unknown } };
  const code = body.error?.code ?? body.error?.type;
  return typeof code === "string" && /^[a-z_]{1,40}$/.test(code) ? code : "";
}
