/**
 * Retries and timeouts around one backend. Retries transient failures (408/409/429/5xx, network, timeout)
 * with backoff 1, 2, 4 s, honouring Retry-After up to a cap. Quota/billing 429s are not retried. Once any
 * text or reasoning reached the user, nothing is retried: a second answer would repeat what they saw.
 *
 * Timeouts: `requestTimeoutMs` bounds the wait for the answer (for a stream: for its first event), then
 * `streamIdleTimeoutMs` bounds each silence between stream events. `request.signal` aborts everything.
 */
import { ProviderError } from "./errors.ts";
import type { ChatRequest, ChatResponse, LlmProvider } from "./types.ts";

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  /** One entry per retry; `[]` disables retries. */
  delaysMs: readonly number[];
  /** Upper bound for a provider's Retry-After. */
  maxRetryAfterMs: number;
  requestTimeoutMs: number;
  streamIdleTimeoutMs: number;
  /** Injectable so tests do not wait for real backoff. */
  sleep: Sleep;
}

export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  delaysMs: [1000, 2000, 4000],
  maxRetryAfterMs: 60_000,
  requestTimeoutMs: 120_000,
  streamIdleTimeoutMs: 90_000,
  sleep: abortableSleep,
};

function abortedError(provider?: string): ProviderError {
  return new ProviderError("aborted", `${provider ?? "provider"}: request aborted by the caller`, { provider, retryable: false });
}

const seconds = (ms: number) => String(Number((ms / 1000).toFixed(2)));

/** State shared by the layers of one chat call. */
interface CallState {
  streamed: boolean;
}

/** One attempt under the request and stream-idle timers. */
async function attemptOnce(inner: LlmProvider, request: ChatRequest, options: RetryOptions, state: CallState): Promise<ChatResponse> {
  if (request.signal?.aborted) throw abortedError(inner.name);
  const controller = new AbortController();
  const streaming = request.onDelta !== undefined || request.onReasoningDelta !== undefined;
  let timedOut: "request" | "idle" | null = null;
  const arm = (kind: "request" | "idle", ms: number) =>
    setTimeout(() => {
      timedOut = kind;
      controller.abort();
    }, ms);
  let timer = arm("request", options.requestTimeoutMs);
  const onOuterAbort = () => controller.abort();
  request.signal?.addEventListener("abort", onOuterAbort, { once: true });

  const wrapped: ChatRequest = {
    ...request,
    signal: controller.signal,
    onActivity: () => {
      request.onActivity?.();
      if (!streaming || timedOut) return;
      clearTimeout(timer);
      timer = arm("idle", options.streamIdleTimeoutMs);
    },
    onDelta: request.onDelta && ((text) => ((state.streamed = true), request.onDelta!(text))),
    onReasoningDelta: request.onReasoningDelta && ((text) => ((state.streamed = true), request.onReasoningDelta!(text))),
  };
  try {
    return await inner.chat(wrapped);
  } catch (err) {
    if (timedOut === "request")
      throw new ProviderError("timeout", `${inner.name}: no answer within ${seconds(options.requestTimeoutMs)} s`, {
        provider: inner.name,
        cause: err,
        userMessage: `The LLM provider '${inner.name}' did not answer within ${seconds(options.requestTimeoutMs)} seconds. Please try again.`,
      });
    if (timedOut === "idle")
      throw new ProviderError("timeout", `${inner.name}: stream idle for ${seconds(options.streamIdleTimeoutMs)} s`, {
        provider: inner.name,
        cause: err,
        userMessage: `The LLM provider '${inner.name}' stopped sending for ${seconds(options.streamIdleTimeoutMs)} seconds. Please try again.`,
      });
    if (request.signal?.aborted) throw abortedError(inner.name);
    if (err instanceof ProviderError) throw err;
    throw new ProviderError("bad_response", `${inner.name}: ${err instanceof Error ? err.message : String(err)}`, { provider: inner.name, cause: err });
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onOuterAbort);
  }
}

/** Wraps a backend with timeouts and retries. */
export function withRetry(inner: LlmProvider, overrides: Partial<RetryOptions> = {}): LlmProvider {
  const options: RetryOptions = { ...DEFAULT_RETRY_OPTIONS, ...overrides };
  return {
    name: inner.name,
    async chat(request: ChatRequest): Promise<ChatResponse> {
      const state: CallState = { streamed: false };
      for (let attempt = 0; ; attempt++) {
        try {
          return await attemptOnce(inner, request, options, state);
        } catch (err) {
          const error = err as ProviderError;
          const canRetry = error.retryable && !state.streamed && attempt < options.delaysMs.length && !request.signal?.aborted;
          if (!canRetry) throw error;
          const delayMs = Math.min(Math.max(options.delaysMs[attempt], error.retryAfterMs ?? 0), options.maxRetryAfterMs);
          console.log(
            JSON.stringify({ event: "llm_retry", provider: inner.name, model: request.model, attempt: attempt + 1, kind: error.kind, status: error.status, delayMs }),
          );
          await options.sleep(delayMs, request.signal);
        }
      }
    },
  };
}
