/**
 * Fallback models and the primary's circuit breaker (nanobot `providers/fallback_provider.py`).
 * After the primary exhausts its retries, `fallbackModels` are tried in order, but only for failures another
 * model can fix (availability, auth, quota, timeout, garbled answers) — never for a request the provider
 * refused as invalid, and never after text already reached the user.
 * The breaker skips a primary that failed 3 times in a row for 60 s. Its state lives in the isolate
 * (module scope): a Worker isolate serves many sessions, so one broken provider is skipped for all of them.
 */
import { ProviderError, type ProviderErrorKind } from "./errors.ts";
import type { ResolvedModelChoice } from "./resolve-model.ts";
import type { ChatRequest, ChatResponse, LlmProvider } from "./types.ts";

const FALLBACK_KINDS: ReadonlySet<ProviderErrorKind> = new Set(["auth", "quota", "rate_limit", "timeout", "server", "bad_response"]);

export function shouldFallBack(error: ProviderError): boolean {
  return FALLBACK_KINDS.has(error.kind);
}

export interface BreakerOptions {
  threshold: number;
  openMs: number;
  now: () => number;
}

export class CircuitBreaker {
  private readonly failures = new Map<string, number>();
  private readonly openUntil = new Map<string, number>();
  private readonly options: BreakerOptions;

  constructor(options: Partial<BreakerOptions> = {}) {
    this.options = { threshold: 3, openMs: 60_000, now: Date.now, ...options };
  }

  isOpen(key: string): boolean {
    const until = this.openUntil.get(key);
    if (until === undefined) return false;
    if (this.options.now() < until) return true;
    // Half-open: let one call through; a failure re-opens at once because the count stays at the threshold.
    this.openUntil.delete(key);
    this.failures.set(key, this.options.threshold - 1);
    return false;
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
    this.openUntil.delete(key);
  }

  /** Returns true when this failure opened the circuit. */
  recordFailure(key: string): boolean {
    const count = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, count);
    if (count < this.options.threshold) return false;
    this.openUntil.set(key, this.options.now() + this.options.openMs);
    return true;
  }
}

/** One breaker per isolate. */
export const isolateBreaker = new CircuitBreaker();

export interface ModelTarget {
  choice: ResolvedModelChoice;
  /** Already wrapped with retries. */
  provider: LlmProvider;
}

export const breakerKey = (choice: ResolvedModelChoice) => `${choice.spec.name}:${choice.model}`;

/** The request for a target: a fallback answers with its own model and limits. */
function requestFor(target: ModelTarget, request: ChatRequest, isPrimary: boolean): ChatRequest {
  if (isPrimary) return request;
  const { choice } = target;
  return { ...request, model: choice.model, maxTokens: choice.maxTokens, temperature: choice.temperature, reasoningEffort: choice.reasoningEffort };
}

export function withFallback(primary: ModelTarget, fallbacks: ModelTarget[], breaker: CircuitBreaker = isolateBreaker): LlmProvider {
  if (fallbacks.length === 0) return primary.provider;
  const key = breakerKey(primary.choice);
  return {
    name: primary.provider.name,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      let streamed = false;
      const tracked: ChatRequest = {
        ...request,
        onDelta: request.onDelta && ((t) => ((streamed = true), request.onDelta!(t))),
        onReasoningDelta: request.onReasoningDelta && ((t) => ((streamed = true), request.onReasoningDelta!(t))),
      };
      const skipPrimary = breaker.isOpen(key);
      const targets = skipPrimary ? fallbacks : [primary, ...fallbacks];
      if (skipPrimary) console.log(JSON.stringify({ event: "llm_breaker_skip", provider: primary.choice.spec.name, model: primary.choice.model }));
      let lastError: ProviderError | undefined;
      for (const target of targets) {
        const isPrimary = target === primary;
        if (lastError)
          console.log(
            JSON.stringify({ event: "llm_fallback", from: lastError.provider, kind: lastError.kind, to: target.choice.spec.name, model: target.choice.model }),
          );
        try {
          const response = await target.provider.chat(requestFor(target, tracked, isPrimary));
          if (isPrimary) breaker.recordSuccess(key);
          return response;
        } catch (err) {
          const error = err as ProviderError;
          if (isPrimary && shouldFallBack(error) && breaker.recordFailure(key))
            console.log(JSON.stringify({ event: "llm_breaker_open", provider: primary.choice.spec.name, model: primary.choice.model }));
          if (!shouldFallBack(error) || streamed || request.signal?.aborted) throw error;
          lastError = error;
        }
      }
      throw lastError!;
    },
  };
}
