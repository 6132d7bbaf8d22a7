/**
 * The one place the official SDK clients (openai, @anthropic-ai/sdk) are set up, so both backends treat base
 * URL, key, headers, timeout, retries and fetch the same way. Each SDK is loaded on the first model call of an
 * isolate that uses it, not at isolate start (docs/benchmarks.md, "Lazy loading"), and its error classes are
 * registered for toProviderError before any of its errors can exist.
 */
import type { ResolvedModelChoice } from "./resolve-model.ts";
import { registerSdkErrors, type ErrorClasses } from "./sdk-errors.ts";

export interface BackendDeps {
  fetch?: typeof fetch;
}

/** Constructor options both SDKs accept with the same meaning. */
export interface SdkClientOptions {
  apiKey: string;
  baseURL: string | undefined;
  maxRetries: number;
  timeout: number;
  defaultHeaders: Record<string, string> | undefined;
  fetch: typeof fetch;
}

/** Both SDKs refuse an empty key; local servers and custom endpoints often need none. */
const PLACEHOLDER_KEY = "no-key";

/**
 * A function that returns the backend's client, loading its SDK once. `load` stays a literal dynamic import in
 * each backend so the bundler keeps the SDK in its own chunk; `baseURL` is the backend's reading of `apiBase`.
 */
export function lazySdkClient<Sdk extends ErrorClasses, Client>(
  choice: ResolvedModelChoice,
  deps: BackendDeps,
  baseURL: string | undefined,
  load: () => Promise<Sdk>,
  create: (sdk: Sdk, options: SdkClientOptions) => Client,
): () => Promise<Client> {
  const { providerConfig } = choice;
  const options: SdkClientOptions = {
    apiKey: providerConfig.apiKey || PLACEHOLDER_KEY,
    baseURL,
    // retry.ts owns retries, so Retry-After and the rules for streams hold for every backend alike.
    maxRetries: 0,
    // The request timeout is enforced by retry.ts (it also covers stream idling); this is only a backstop.
    timeout: 3_600_000,
    defaultHeaders: providerConfig.extraHeaders,
    fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
  };
  let client: Promise<Client> | undefined;
  return () =>
    (client ??= load().then((sdk) => {
      registerSdkErrors(sdk);
      return create(sdk, options);
    }));
}
