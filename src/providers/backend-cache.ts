import type { ResolvedModelChoice } from "./resolve-model.ts";
import type { LlmProvider } from "./types.ts";

/**
 * SDK clients (OpenAI, Anthropic) kept per isolate. Constructing one, with the backend closure around it, cost
 * ~1 ms of CPU per turn (profiled: client constructor, esbuild's `__name` for the SDK's resource classes);
 * a client holds no per-request state, so turns with the same provider settings share one. The key is
 * everything a backend is built from (spec and resolved provider settings: key, base, headers, body), so a
 * changed NANOBOT_CONFIG or secret simply gets a new entry.
 */
const MAX_ENTRIES = 32;
const backends = new Map<string, LlmProvider>();

export function cachedBackend(choice: ResolvedModelChoice, build: () => LlmProvider): LlmProvider {
  const key = JSON.stringify([choice.spec, choice.providerConfig]);
  let backend = backends.get(key);
  if (!backend) {
    // Config changes are rare; dropping everything past the bound keeps stale keys from piling up.
    if (backends.size >= MAX_ENTRIES) backends.clear();
    backend = build();
    backends.set(key, backend);
  }
  return backend;
}
