/**
 * Both official SDKs throw the same family of errors (APIError with status/headers/body, user abort,
 * connection, connection timeout). This maps either family to a ProviderError.
 */
import * as AnthropicSdk from "@anthropic-ai/sdk";
import * as OpenAiSdk from "openai";
import { classifyHttpError, ProviderError } from "./errors.ts";

export function toProviderError(err: unknown, provider: string): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAiSdk.APIUserAbortError || err instanceof AnthropicSdk.APIUserAbortError)
    return new ProviderError("aborted", `${provider}: request aborted`, { provider, cause: err });
  if (err instanceof OpenAiSdk.APIConnectionTimeoutError || err instanceof AnthropicSdk.APIConnectionTimeoutError)
    return new ProviderError("timeout", `${provider}: connection timed out`, { provider, cause: err });
  if (err instanceof OpenAiSdk.APIConnectionError || err instanceof AnthropicSdk.APIConnectionError)
    return new ProviderError("server", `${provider}: could not reach the API (${errorText(err.cause ?? err)})`, {
      provider,
      cause: err,
      userMessage: `The LLM provider '${provider}' could not be reached. Check providers.${provider}.apiBase and try again.`,
    });
  if (err instanceof OpenAiSdk.APIError || err instanceof AnthropicSdk.APIError) {
    // Streamed error events have no status; the body still says what went wrong.
    const body = err.error ?? err.message;
    return classifyHttpError(err.status, body, err.headers, provider);
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
