/**
 * Both official SDKs throw the same family of errors (APIError with status/headers/body, user abort,
 * connection, connection timeout). This maps either family to a ProviderError.
 *
 * The SDKs are loaded by their backends on first use (lazy, so an isolate does not evaluate an SDK its provider
 * never needs: docs/benchmarks.md, "Lazy loading"); sdk-client.ts registers an SDK's error classes when it
 * loads it, which is before any error of that SDK can exist.
 */
import type * as AnthropicSdk from "@anthropic-ai/sdk";
import type * as OpenAiSdk from "openai";
import { classifyHttpError, ProviderError } from "./errors.ts";

export type ErrorClasses = Pick<typeof OpenAiSdk, "APIUserAbortError" | "APIConnectionTimeoutError" | "APIConnectionError" | "APIError"> | Pick<typeof AnthropicSdk, "APIUserAbortError" | "APIConnectionTimeoutError" | "APIConnectionError" | "APIError">;

const families: ErrorClasses[] = [];

/** Called by a backend with the SDK module it just loaded. */
export function registerSdkErrors(sdk: ErrorClasses): void {
  if (!families.includes(sdk)) families.push(sdk);
}

const isA = (err: unknown, kind: keyof ErrorClasses) => families.some((family) => err instanceof family[kind]);

export function toProviderError(err: unknown, provider: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (isA(err, "APIUserAbortError")) return new ProviderError("aborted", `${provider}: request aborted`, { provider, cause: err });
  if (isA(err, "APIConnectionTimeoutError")) return new ProviderError("timeout", `${provider}: connection timed out`, { provider, cause: err });
  if (isA(err, "APIConnectionError"))
    return new ProviderError("server", `${provider}: could not reach the API (${errorText((err as Error).cause ?? err)})`, {
      provider,
      cause: err,
      userMessage: `The LLM provider '${provider}' could not be reached. Check providers.${provider}.apiBase and try again.`,
    });
  if (isA(err, "APIError")) {
    const apiError = err as OpenAiSdk.APIError;
    // Streamed error events have no status; the body still says what went wrong.
    const body = apiError.error ?? apiError.message;
    return classifyHttpError(apiError.status, body, apiError.headers, provider);
  }
  if (err instanceof SyntaxError)
    return new ProviderError("bad_response", `${provider}: malformed response body (${err.message})`, { provider, cause: err });
  if (err instanceof Error && err.name === "AbortError")
    return new ProviderError("aborted", `${provider}: request aborted`, { provider, cause: err });
  return new ProviderError("bad_response", `${provider}: ${errorText(err)}`, { provider, cause: err });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
