/**
 * One error type for every provider failure, so the runner, retry and fallback layers decide by `kind`
 * instead of parsing SDK-specific errors. `userMessage` is what a chat user sees: one sentence that says
 * what happened and what to do, never a stack trace or a key.
 */

export type ProviderErrorKind =
  | "no_provider"
  | "auth"
  | "quota"
  | "rate_limit"
  | "timeout"
  | "server"
  | "bad_response"
  | "invalid_request"
  | "aborted";

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set(["rate_limit", "timeout", "server"]);

export interface ProviderErrorOptions {
  status?: number;
  /** Overrides the default sentence for this kind. */
  userMessage?: string;
  /** Parsed from `Retry-After` / `retry-after-ms` when the provider sent one. */
  retryAfterMs?: number;
  provider?: string;
  retryable?: boolean;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  readonly userMessage: string;
  readonly retryAfterMs?: number;
  readonly provider?: string;

  constructor(kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProviderError";
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(kind);
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.userMessage = redactSecrets(options.userMessage ?? defaultUserMessage(kind, options.provider, options.status));
  }
}

/** Nothing usable is configured; the message tells the user which key to set. */
export class NoProviderError extends ProviderError {
  constructor(message: string) {
    super("no_provider", message, { userMessage: message, retryable: false });
    this.name = "NoProviderError";
  }
}

/** `/model <name>`, `agents.defaults.modelPreset` or `fallbackModels` named a preset that does not exist. */
export class UnknownPresetError extends Error {
  readonly presetName: string;
  readonly available: string[];
  readonly userMessage: string;

  constructor(presetName: string, available: string[]) {
    const list = available.length ? available.join(", ") : "none are configured (add them under modelPresets)";
    const message = `Unknown model preset '${presetName}'. Available presets: ${list}.`;
    super(message);
    this.name = "UnknownPresetError";
    this.presetName = presetName;
    this.available = available;
    this.userMessage = message;
  }
}

function defaultUserMessage(kind: ProviderErrorKind, provider?: string, status?: number): string {
  const Who = provider ? `The LLM provider '${provider}'` : "The LLM provider";
  switch (kind) {
    case "no_provider":
      return "No LLM provider is configured. Set providers.openrouter.apiKey (or another provider) in nanobot.config.json or NANOBOT_CONFIG — see README › Configure a provider.";
    case "auth":
      return `${Who} rejected the API key${status ? ` (HTTP ${status})` : ""}. Check providers.${provider ?? "<name>"}.apiKey in your config.`;
    case "quota":
      return `${Who} says the account is out of credit or quota. Top up the balance with the provider or switch model with /model.`;
    case "rate_limit":
      return `${Who} is rate-limiting requests. Please try again in a minute.`;
    case "timeout":
      return `${Who} did not answer in time. Please try again.`;
    case "server":
      return `${Who} is having trouble${status ? ` (HTTP ${status})` : ""}. Please try again shortly.`;
    case "bad_response":
      return `${Who} sent a response that could not be understood. Please try again.`;
    case "invalid_request":
      return `${Who} rejected the request${status ? ` (HTTP ${status})` : ""}.`;
    case "aborted":
      return "The request to the model was stopped.";
  }
}

/** Quota / billing 429s: retrying cannot help until the user acts. */
const QUOTA_MARKERS = [
  "insufficient_quota",
  "billing_hard_limit_reached",
  "insufficient_balance",
  "billing_not_active",
  "exceeded your current quota",
  "credit balance is too low",
  "insufficient credits",
  "payment required",
  "arrearage",
  "account is not active",
];

/** API keys look like these; they must never reach a user message or a log line. */
const SECRET_PATTERN = /\b(sk-[A-Za-z0-9_*-]{4,}|sk-ant-[A-Za-z0-9_*-]+|sk-or-[A-Za-z0-9_*-]+|gsk_[A-Za-z0-9]+|nvapi-[A-Za-z0-9_-]+|hf_[A-Za-z0-9]+)/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, "[redacted]");
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return "";
  if (typeof body === "string") return body;
  try {
    return JSON.stringify(body);
  } catch {
    return String(body);
  }
}

/** The provider's own short error message, if the body has one (OpenAI and Anthropic shapes). */
function providerMessage(body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as { message?: unknown; error?: { message?: unknown } | string };
    if (typeof b.message === "string") return b.message;
    if (typeof b.error === "string") return b.error;
    if (b.error && typeof b.error.message === "string") return b.error.message;
  }
  return typeof body === "string" ? body : "";
}

/**
 * `Retry-After` as seconds or an HTTP date, or OpenAI's `retry-after-ms`; undefined when absent or unparsable.
 */
export function parseRetryAfter(headers: Headers | undefined | null, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Maps an HTTP status (or a streamed error event without one) and its body to a ProviderError. */
export function classifyHttpError(
  status: number | undefined,
  body: unknown,
  headers: Headers | undefined | null,
  provider: string,
): ProviderError {
  const text = bodyText(body);
  const lower = text.toLowerCase();
  const detail = providerMessage(body).slice(0, 300);
  const message = `${provider}: HTTP ${status ?? "stream error"}${detail ? `: ${detail}` : ""}`;
  const retryAfterMs = parseRetryAfter(headers);
  const opts = { status, provider, retryAfterMs };
  if (QUOTA_MARKERS.some((m) => lower.includes(m)) || status === 402) return new ProviderError("quota", message, opts);
  if (status === 401 || status === 403) return new ProviderError("auth", message, opts);
  if (status === 429 || lower.includes("rate_limit") || lower.includes("rate limit")) return new ProviderError("rate_limit", message, opts);
  if (status === 408) return new ProviderError("timeout", message, opts);
  if (status === 409 || (status !== undefined && status >= 500)) return new ProviderError("server", message, opts);
  if (lower.includes("overloaded") || lower.includes("server_error")) return new ProviderError("server", message, opts);
  if (status === undefined) return new ProviderError("server", message, opts);
  return new ProviderError("invalid_request", message, {
    ...opts,
    userMessage: `The LLM provider '${provider}' rejected the request (HTTP ${status})${detail ? `: ${detail}` : "."}`,
  });
}
